package io.pointsledger.ledger;

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
import org.jboss.resteasy.reactive.RestQuery;

/** A member's points: earn, redeem, balance and history. */
@Path("/v1/members/{memberId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LedgerResource {

    private final LedgerService ledger;
    private final CurrentCaller caller;

    LedgerResource(LedgerService ledger, CurrentCaller caller) {
        this.ledger = ledger;
        this.caller = caller;
    }

    @POST
    @Path("/earn")
    public Uni<Response> earn(@RestPath UUID memberId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @NotNull @Valid EarnRequest request) {
        return ledger.earn(caller.require(Scope.EARN), memberId, idempotencyKey, request).map(LedgerResource::answer);
    }

    @POST
    @Path("/redeem")
    public Uni<Response> redeem(@RestPath UUID memberId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @NotNull @Valid RedeemRequest request) {
        return ledger.redeem(caller.require(Scope.REDEEM), memberId, idempotencyKey, request).map(LedgerResource::answer);
    }

    @GET
    @Path("/balance")
    public Uni<Balance> balance(@RestPath UUID memberId) {
        caller.require(Scope.READ);
        return ledger.balance(memberId);
    }

    @GET
    @Path("/transactions")
    public Uni<TransferPage> transactions(@RestPath UUID memberId,
            @RestQuery String limit, @RestQuery String cursor) {
        return ledger.history(caller.require(Scope.READ), memberId, limit, cursor);
    }

    /** The stored status and receipt, marked when it answers a retry. */
    public static Response answer(Posted<?> posted) {
        Response.ResponseBuilder response = Response.status(posted.status()).entity(posted.receipt());
        if (posted.replayed()) {
            response.header(IdempotencyHeaders.REPLAYED, "true");
        }
        return response.build();
    }
}
