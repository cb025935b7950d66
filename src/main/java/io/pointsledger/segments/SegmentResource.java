package io.pointsledger.segments;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IfMatch;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Saved segments of members, for the program's operators. */
@Path("/v1/admin/segments")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentResource {

    private final SegmentService segments;
    private final CurrentCaller caller;

    SegmentResource(SegmentService segments, CurrentCaller caller) {
        this.segments = segments;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createSegment", summary = "Save a segment",
            description = "Scope: admin. Audited. The rule is checked now and evaluated whenever the segment is used.")
    @APIResponse(responseCode = "201", description = "Saved", headers = @Header(name = "Location", required = true,
            description = "The new segment", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Segment.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SEGMENT_NAME_TAKEN")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> create(@NotNull @Valid SegmentRequest request) {
        return segments.create(caller.get(), request).map(segment -> Response
                .created(URI.create("/v1/admin/segments/" + segment.segmentId())).entity(segment).build());
    }

    @GET
    @Operation(operationId = "listSegments", summary = "Segments, newest first", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "One page of segments")
    @RequiresScope(Scope.ADMIN)
    public Uni<SegmentPage> page(
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Segments per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + SegmentsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return segments.page(cursor, limit);
    }

    @GET
    @Path("/{segmentId}")
    @Operation(operationId = "findSegment", summary = "A segment, with how many members it admits now",
            description = "Scope: admin. Counting evaluates the rule over every member.")
    @APIResponse(responseCode = "200", description = "The segment")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SEGMENT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<SegmentDetails> find(@Parameter(description = "As saved", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID segmentId) {
        return segments.details(segmentId);
    }

    @PUT
    @Path("/{segmentId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "changeSegment", summary = "Change a segment's name, description and rule",
            description = "Scope: admin. Audited. Made against the version read (If-Match: its version field, quoted; * for any). "
                    + "Campaigns, offers and announcements that name the segment use the new rule from then on.")
    @APIResponse(responseCode = "200", description = "The segment as changed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Segment.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SEGMENT_NOT_FOUND, SEGMENT_NAME_TAKEN, SEGMENT_VERSION_MISMATCH, "
            + "IF_MATCH_REQUIRED")
    @RequiresScope(Scope.ADMIN)
    public Uni<Segment> change(
            @Parameter(description = "As saved", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID segmentId,
            @Parameter(description = "The segment's version as read, quoted (\"3\"); * for any") @RestHeader(IfMatch.HEADER)
            String ifMatch, @NotNull @Valid SegmentRequest request) {
        return segments.update(caller.get(), segmentId, request, ifMatch);
    }

    @GET
    @Path("/{segmentId}/members")
    @Operation(operationId = "listSegmentMembers", summary = "The members a segment admits now, in member id order",
            description = "Scope: admin. Each with the attributes rules ask of.")
    @APIResponse(responseCode = "200", description = "One page of members")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SEGMENT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<SegmentMemberPage> members(
            @Parameter(description = "As saved", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID segmentId,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Members per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + SegmentsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return segments.members(segmentId, cursor, limit);
    }
}
