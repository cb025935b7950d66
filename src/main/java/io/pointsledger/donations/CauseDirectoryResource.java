package io.pointsledger.donations;

import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.rewards.RewardsConfig;
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

/** The causes taking donations, for a front-end to offer members. */
@Path("/v1/causes")
@Produces(MediaType.APPLICATION_JSON)
public class CauseDirectoryResource {

    private final CauseService causes;

    CauseDirectoryResource(CauseService causes) {
        this.causes = causes;
    }

    @GET
    @Operation(operationId = "listActiveCauses", summary = "Causes taking donations, newest first", description = "Scope: read.")
    @APIResponse(responseCode = "200", description = "One page of causes")
    @RequiresScope(Scope.READ)
    public Uni<CausePage> active(
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Causes per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + RewardsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return causes.active(cursor, limit);
    }
}
