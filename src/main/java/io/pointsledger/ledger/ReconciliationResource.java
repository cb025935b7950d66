package io.pointsledger.ledger;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

/** Finance and operations views of the whole ledger; administrators only. */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final LedgerService ledger;
    private final CurrentCaller caller;

    ReconciliationResource(LedgerService ledger, CurrentCaller caller) {
        this.ledger = ledger;
        this.caller = caller;
    }

    /** Proof that every account equals the sum of its transfers. */
    @GET
    @Path("/reconciliation")
    public Uni<ReconciliationReport> reconcile() {
        caller.require(Scope.ADMIN);
        return ledger.reconcile();
    }

    /** Points issued and redeemed per partner over {@code [from, to)} (ISO 8601 timestamps). */
    @GET
    @Path("/settlement")
    public Uni<SettlementReport> settlement(@RestQuery String from, @RestQuery String to) {
        caller.require(Scope.ADMIN);
        return ledger.settle(from, to);
    }
}
