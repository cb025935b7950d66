package io.pointsledger.recommendations;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.Paging;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Items to suggest to a member. */
@Path("/v1/members/{memberId}/recommendations")
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationResource {

    private final RecommendationService recommendations;
    private final CurrentCaller caller;

    RecommendationResource(RecommendationService recommendations, CurrentCaller caller) {
        this.recommendations = recommendations;
        this.caller = caller;
    }

    @GET
    public Uni<List<Recommendation>> forMember(@RestPath UUID memberId, @RestQuery String limit) {
        caller.require(Scope.READ);
        return recommendations.forMember(memberId,
                Paging.pageSize(limit, RecommendationService.LIMIT_DEFAULT, RecommendationService.LIMIT_MAX));
    }
}
