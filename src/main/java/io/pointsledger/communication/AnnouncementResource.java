package io.pointsledger.communication;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IdempotencyHeaders;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Announcements to members, on each member's preferred consented channel, and their delivery reports. */
@Path("/v1/admin/announcements")
@Produces(MediaType.APPLICATION_JSON)
public class AnnouncementResource {

    private final AnnouncementService announcements;
    private final CurrentCaller caller;

    AnnouncementResource(AnnouncementService announcements, CurrentCaller caller) {
        this.announcements = announcements;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createAnnouncement", summary = "Announce something to members",
            description = "Scope: admin. Audited. Idempotent: a retry with the same Idempotency-Key answers the same "
                    + "announcement (Idempotent-Replayed: true) and sends nothing more. Answers at once; the messages are planned "
                    + "in the background, one per member on their preferred consented channel (an IMPORTANT one also on a "
                    + "second), never on a channel without consent, after the member's quiet hours. Follow the delivery report "
                    + "at the Location.")
    @APIResponse(responseCode = "202", description = "Made; planning", headers = {
            @Header(name = "Location", required = true, description = "The announcement, for its report",
                    schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            @Header(name = IdempotencyHeaders.REPLAYED, description = "true when this answers a retry",
                    schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Announcement.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SEGMENT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> create(@RestHeader(IdempotencyHeaders.KEY) String idempotencyKey,
            @NotNull @Valid AnnouncementRequest request) {
        return announcements.create(caller.get(), idempotencyKey, request).map(AnnouncementResource::accepted);
    }

    /** 202 with the announcement, its Location, and Idempotent-Replayed when it answers a retry: for whatever makes one. */
    public static Response accepted(AnnouncementService.Created created) {
        Response.ResponseBuilder response = Response.accepted(created.announcement())
                .location(URI.create("/v1/admin/announcements/" + created.announcement().announcementId()));
        if (created.replayed()) {
            response.header(IdempotencyHeaders.REPLAYED, "true");
        }
        return response.build();
    }

    @GET
    @Operation(operationId = "listAnnouncements", summary = "Announcements, newest first",
            description = "Scope: admin. Without their reports: read one announcement for its report.")
    @APIResponse(responseCode = "200", description = "A page of announcements")
    @RequiresScope(Scope.ADMIN)
    public Uni<AnnouncementPage> list(@Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Announcements per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + AnnouncementService.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return announcements.page(cursor, limit);
    }

    @GET
    @Path("/{announcementId}")
    @Operation(operationId = "findAnnouncement", summary = "An announcement and its delivery report", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The announcement")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "ANNOUNCEMENT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Announcement> find(@RestPath UUID announcementId) {
        return announcements.find(announcementId);
    }

    @GET
    @Path("/{announcementId}/messages")
    @Operation(operationId = "listAnnouncementMessages", summary = "An announcement's messages, newest first",
            description = "Scope: admin. The delivery log of each member and channel.")
    @APIResponse(responseCode = "200", description = "A page of messages")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "ANNOUNCEMENT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<MemberMessagePage> messages(@RestPath UUID announcementId,
            @Parameter(description = "Only messages in this status", schema = @Schema(implementation = MessageStatus.class))
            @RestQuery String status,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Messages per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + AnnouncementService.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return announcements.messages(announcementId, status, cursor, limit);
    }

    @POST
    @Path("/{announcementId}/cancel")
    @Operation(operationId = "cancelAnnouncement", summary = "Stop an announcement",
            description = "Scope: admin. Audited. Planning stops, and messages not yet sent are SKIPPED as they come due; what "
                    + "was sent stays sent. Cancelling again changes nothing.")
    @APIResponse(responseCode = "200", description = "Cancelled")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "ANNOUNCEMENT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Announcement> cancel(@RestPath UUID announcementId) {
        return announcements.cancel(caller.get(), announcementId);
    }
}
