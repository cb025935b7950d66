package io.pointsledger.segments;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Runs that measure every member's segment attributes: nightly, or asked for here. */
@Path("/v1/admin/segment-attribute-runs")
@Produces(MediaType.APPLICATION_JSON)
public class AttributeRunResource {

    private final SegmentService segments;
    private final CurrentCaller caller;

    AttributeRunResource(SegmentService segments, CurrentCaller caller) {
        this.segments = segments;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "startSegmentAttributeRun", summary = "Measure every member's segment attributes now",
            description = "Scope: admin. Audited. The run measures as of today in the background, on this instance; follow it at "
                    + "its Location. One run is open at a time. Takes no body.")
    @APIResponse(responseCode = "202", description = "Started", headers = @Header(name = "Location", required = true,
            description = "The run", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AttributeRun.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SEGMENT_ATTRIBUTE_RUN_IN_PROGRESS")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> start() {
        return segments.requestRun(caller.get()).map(run -> Response.accepted(run)
                .location(URI.create("/v1/admin/segment-attribute-runs/" + run.runId())).build());
    }

    @GET
    @Operation(operationId = "listSegmentAttributeRuns", summary = "Segment attribute runs, newest first", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "One page of runs")
    @RequiresScope(Scope.ADMIN)
    public Uni<AttributeRunPage> page(
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Runs per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + SegmentsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return segments.runs(cursor, limit);
    }

    @GET
    @Path("/{runId}")
    @Operation(operationId = "findSegmentAttributeRun", summary = "A segment attribute run: its progress, and once finished its cutoffs",
            description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The run")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SEGMENT_ATTRIBUTE_RUN_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<AttributeRun> find(@Parameter(description = "As started", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID runId) {
        return segments.run(runId);
    }
}
