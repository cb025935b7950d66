package io.pointsledger.communication;

import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** What was sent to a member: announcements and notifications, on each channel. */
@Path("/v1/members/{memberId}/messages")
@Produces(MediaType.APPLICATION_JSON)
public class MemberMessageResource {

    private final AnnouncementService announcements;

    MemberMessageResource(AnnouncementService announcements) {
        this.announcements = announcements;
    }

    @GET
    @Operation(operationId = "listMemberMessages", summary = "A member's messages, newest first",
            description = "Scope: admin. Announcements and notifications (tier changed, points expiring, coupon issued), one "
                    + "entry per channel, with how each delivery went.")
    @APIResponse(responseCode = "200", description = "A page of messages")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<MemberMessagePage> list(@RestPath UUID memberId,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Messages per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + AnnouncementService.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return announcements.memberMessages(memberId, cursor, limit);
    }
}
