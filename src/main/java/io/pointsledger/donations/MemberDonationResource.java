package io.pointsledger.donations;

import io.pointsledger.ledger.DonationReceipt;
import io.pointsledger.ledger.LedgerResource;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IdempotencyHeaders;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

/** A member gives points to a cause. */
@Path("/v1/members/{memberId}/donations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MemberDonationResource {

    private final CauseService causes;
    private final CurrentCaller caller;

    MemberDonationResource(CauseService causes, CurrentCaller caller) {
        this.causes = causes;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "donatePoints", summary = "Give points to a cause",
            description = "Scope: redeem. A DONATION transfer from the member to the cause's account, spending the "
                    + "soonest-expiring points; the program adds its match within the cause's budget. Final: only an "
                    + "operator's adjustment gives points back.")
    @APIResponse(responseCode = "201", description = "Donated",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DonationReceipt.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND, CAUSE_NOT_FOUND, INSUFFICIENT_POINTS")
    @RequiresScope(Scope.REDEEM)
    public Uni<Response> donate(@RestPath UUID memberId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @NotNull @Valid DonationRequest request) {
        return causes.donate(caller.get(), memberId, idempotencyKey, request).map(LedgerResource::answer);
    }
}
