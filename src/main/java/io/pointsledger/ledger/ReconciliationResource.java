package io.pointsledger.ledger;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Proof that every account equals the sum of its transfers. */
@Path("/v1/admin/reconciliation")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final LedgerService ledger;

    ReconciliationResource(LedgerService ledger) {
        this.ledger = ledger;
    }

    @GET
    public Uni<ReconciliationReport> reconcile() {
        return ledger.reconcile();
    }
}
