package io.pointsledger.offers;

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

/** The offers a member may use now. */
@Path("/v1/members/{memberId}/offers")
@Produces(MediaType.APPLICATION_JSON)
public class MemberOfferResource {

    private final OfferService offers;

    MemberOfferResource(OfferService offers) {
        this.offers = offers;
    }

    @GET
    @Operation(operationId = "listMemberOffers", summary = "The offers this member may use now",
            description = "Scope: read. Active offers inside their window whose eligibility the member meets, for the tier "
                    + "they hold now; newest first. Bounded by points-ledger.offers.active-max (200).")
    @APIResponse(responseCode = "200", description = "The member's offers")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<MemberOffers> offers(@RestPath UUID memberId) {
        return offers.forMember(memberId);
    }
}
