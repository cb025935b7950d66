package io.pointsledger.ledger;

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

/** Operators correct mistakes with a reason; every adjustment is audited. */
@Path("/v1/admin/members/{memberId}/adjustments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdjustmentResource {

    private final LedgerService ledger;
    private final CurrentCaller caller;

    AdjustmentResource(LedgerService ledger, CurrentCaller caller) {
        this.ledger = ledger;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "adjustPoints", summary = "Correct a member's points, with a reason",
            description = "Scope: admin. Audited.")
    @APIResponse(responseCode = "201", description = "Adjusted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferReceipt.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND, INSUFFICIENT_POINTS")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> adjust(@RestPath UUID memberId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @NotNull @Valid AdjustmentRequest request) {
        return ledger.adjust(caller.get(), memberId, idempotencyKey, request).map(LedgerResource::answer);
    }
}
