package io.pointsledger.tiers;

import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

/** A member's tier and progress towards the next one. */
@Path("/v1/members/{memberId}/tier")
@Produces(MediaType.APPLICATION_JSON)
public class TierResource {

    private final TierService tiers;

    TierResource(TierService tiers) {
        this.tiers = tiers;
    }

    @GET
    @Operation(operationId = "getTierStanding", summary = "A member's tier and progress towards the next one",
            description = "Scope: read.")
    @APIResponse(responseCode = "200", description = "The standing")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<TierStanding> standing(@RestPath UUID memberId) {
        return tiers.standing(memberId);
    }
}
