package io.pointsledger.ledger;

import io.pointsledger.partners.Caller;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IdempotencyHeaders;
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
    public Uni<TransferDetail> find(@RestPath UUID transactionId) {
        return ledger.transfer(caller.require(Scope.READ), transactionId);
    }

    @POST
    @Path("/reverse")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> reverse(@RestPath UUID transactionId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @NotNull @Valid ReverseRequest request) {
        Caller reverser = caller.require(Scope.REVERSE);
        return ledger.reverse(reverser, transactionId, idempotencyKey, request).map(LedgerResource::answer);
    }
}
