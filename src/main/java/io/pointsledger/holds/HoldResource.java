package io.pointsledger.holds;

import io.pointsledger.ledger.LedgerResource;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IdempotencyHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
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

/** Checkout holds, once authorized: capture, void, look up. */
@Path("/v1/holds/{holdId}")
@Produces(MediaType.APPLICATION_JSON)
public class HoldResource {

    private final HoldService holds;
    private final CurrentCaller caller;

    HoldResource(HoldService holds, CurrentCaller caller) {
        this.holds = holds;
        this.caller = caller;
    }

    @POST
    @Path("/capture")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Uni<Response> capture(@RestPath UUID holdId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @Valid CaptureRequest request) {
        return holds.capture(caller.require(Scope.HOLD), holdId, idempotencyKey, request).map(LedgerResource::answer);
    }

    @POST
    @Path("/void")
    public Uni<Response> voidHold(@RestPath UUID holdId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey) {
        return holds.voidHold(caller.require(Scope.HOLD), holdId, idempotencyKey).map(LedgerResource::answer);
    }

    @GET
    public Uni<HoldView> find(@RestPath UUID holdId) {
        return holds.find(caller.require(Scope.READ), holdId);
    }
}
