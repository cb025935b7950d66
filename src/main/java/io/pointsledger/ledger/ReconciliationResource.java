package io.pointsledger.ledger;

import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestQuery;

/** Finance and operations views of the whole ledger; administrators only. */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final LedgerService ledger;

    ReconciliationResource(LedgerService ledger) {
        this.ledger = ledger;
    }

    /** Proof that every account equals the sum of its transfers. */
    @GET
    @Path("/reconciliation")
    @Operation(operationId = "reconcile", summary = "Every account checked against its transfers", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The report")
    @RequiresScope(Scope.ADMIN)
    public Uni<ReconciliationReport> reconcile() {
        return ledger.reconcile();
    }

    /** Points issued and redeemed per partner over {@code [from, to)} (ISO 8601 timestamps). */
    @GET
    @Path("/settlement")
    @Operation(operationId = "settle", summary = "Points issued and redeemed per partner over [from, to)",
            description = "Scope: admin. from must be before to, and the period at most 366 days long.")
    @APIResponse(responseCode = "200", description = "The report")
    @RequiresScope(Scope.ADMIN)
    public Uni<SettlementReport> settlement(
            @Parameter(required = true, description = "Start, inclusive (ISO 8601 with offset)",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time")) @RestQuery String from,
            @Parameter(required = true, description = "End, exclusive; at most 366 days after from",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time")) @RestQuery String to) {
        return ledger.settle(from, to);
    }
}
