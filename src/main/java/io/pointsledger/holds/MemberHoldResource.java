package io.pointsledger.holds;

import io.pointsledger.ledger.LedgerResource;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IdempotencyHeaders;
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
    public Uni<Response> hold(@RestPath UUID memberId, @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @NotNull @Valid CreateHoldRequest request) {
        return holds.hold(caller.require(Scope.HOLD), memberId, idempotencyKey, request).map(LedgerResource::answer);
    }
}
