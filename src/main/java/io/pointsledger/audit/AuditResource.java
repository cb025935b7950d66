package io.pointsledger.audit;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

/** Who did what to the program. */
@Path("/v1/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditLog audit;
    private final CurrentCaller caller;

    AuditResource(AuditLog audit, CurrentCaller caller) {
        this.audit = audit;
        this.caller = caller;
    }

    @GET
    public Uni<AuditPage> page(@RestQuery String cursor, @RestQuery String limit) {
        caller.require(Scope.ADMIN);
        return audit.page(cursor, limit);
    }
}
