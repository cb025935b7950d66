package io.pointsledger.ledger;

import io.pointsledger.partners.Caller;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IdempotencyHeaders;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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

/** One transaction, and returns and refunds against it. A partner reaches only its own. */
@Path("/v1/transactions/{transactionId}")
@Produces(MediaType.APPLICATION_JSON)
public class TransactionResource {

    private final LedgerService ledger;
    private final CurrentCaller caller;

    TransactionResource(LedgerService ledger, CurrentCaller caller) {
        this.ledger = ledger;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "findTransaction", summary = "One transaction and what was reversed of it",
            description = "Scope: read. A partner finds only its own.")
    @APIResponse(responseCode = "200", description = "The transaction")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "TRANSFER_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<TransferDetail> find(@RestPath UUID transactionId) {
        return ledger.transfer(caller.get(), transactionId);
    }

    @POST
    @Path("/reverse")
    @Operation(operationId = "reverseTransaction", summary = "Reverse an earn, redeem or capture (return, refund)",
            description = "Scope: reverse. A refunded redemption restores points with their original expiry dates.")
    @APIResponse(responseCode = "201", description = "Reversed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferReceipt.class)))
    @Extension(name = OpenApiContract.ERROR_CODES,
            value = "TRANSFER_NOT_FOUND, TRANSFER_NOT_REVERSIBLE, REVERSAL_EXCEEDS_ORIGINAL")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scope.REVERSE)
    public Uni<Response> reverse(@RestPath UUID transactionId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @NotNull @Valid ReverseRequest request) {
        Caller reverser = caller.get();
        return ledger.reverse(reverser, transactionId, idempotencyKey, request).map(LedgerResource::answer);
    }
}
