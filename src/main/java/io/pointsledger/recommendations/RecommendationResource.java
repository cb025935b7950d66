package io.pointsledger.recommendations;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
    @Operation(operationId = "recommendItems", summary = "Items to suggest to a member",
            description = "Scope: read. Items the member has not bought: those most similar to their recent items first "
                    + "(basis SIMILAR_ITEMS, score the summed cosine similarity), then those with most buyers (basis POPULAR). "
                    + "A partner's are derived from its own sales to the member only; an administrator's from all.")
    @APIResponse(responseCode = "200", description = "The items, best first")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<List<Recommendation>> forMember(@RestPath UUID memberId,
            @Parameter(description = "Items at most", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + RecommendationService.LIMIT_MAX, defaultValue = "" + RecommendationService.LIMIT_DEFAULT))
            @RestQuery String limit) {
        return recommendations.forMember(caller.get(), memberId,
                Paging.pageSize(limit, RecommendationService.LIMIT_DEFAULT, RecommendationService.LIMIT_MAX));
    }
}
