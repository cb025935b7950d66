package io.pointsledger.holds;

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

/** Checkout authorizes: points reserved for an order until captured, voided or expired. */
@Path("/v1/members/{memberId}/holds")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MemberHoldResource {

    private final HoldService holds;
    private final CurrentCaller caller;

    MemberHoldResource(HoldService holds, CurrentCaller caller) {
        this.holds = holds;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "createHold", summary = "Reserve points for an order",
            description = "Scope: hold. Available points drop, posted do not, until the hold is captured, voided or expires.")
    @APIResponse(responseCode = "201", description = "Held",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HoldView.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND, INSUFFICIENT_POINTS")
    @RequiresScope(Scope.HOLD)
    public Uni<Response> hold(@RestPath UUID memberId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @NotNull @Valid CreateHoldRequest request) {
        return holds.hold(caller.get(), memberId, idempotencyKey, request).map(LedgerResource::answer);
    }
}
