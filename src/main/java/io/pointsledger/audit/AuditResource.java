package io.pointsledger.audit;

import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.ApiLimits;
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

/** Who did what to the program. */
@Path("/v1/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditLog audit;

    AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    @Operation(operationId = "listAuditEntries", summary = "Administrative actions, newest first", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "One page of entries")
    @RequiresScope(Scope.ADMIN)
    public Uni<AuditPage> page(@Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Entries per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + ApiLimits.HISTORY_PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return audit.page(cursor, limit);
    }
}
