package io.pointsledger.tiers;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;

/** A member's tier and progress towards the next one. */
@Path("/v1/members/{memberId}/tier")
@Produces(MediaType.APPLICATION_JSON)
public class TierResource {

    private final TierService tiers;
    private final CurrentCaller caller;

    TierResource(TierService tiers, CurrentCaller caller) {
        this.tiers = tiers;
        this.caller = caller;
    }

    @GET
    public Uni<TierStanding> standing(@RestPath UUID memberId) {
        caller.require(Scope.READ);
        return tiers.standing(memberId);
    }
}
