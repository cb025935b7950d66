package io.pointsledger.segments;

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

/** What segment rules ask of one member, for the program's operators. */
@Path("/v1/members/{memberId}/segment-attributes")
@Produces(MediaType.APPLICATION_JSON)
public class MemberSegmentAttributesResource {

    private final SegmentService segments;

    MemberSegmentAttributesResource(SegmentService segments) {
        this.segments = segments;
    }

    @GET
    @Operation(operationId = "findMemberSegmentAttributes", summary = "A member's RFM measures and scores, age, region, tier and churn risk",
            description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The attributes")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<MemberAttributes> attributes(
            @Parameter(description = "As enrolled", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID memberId) {
        return segments.memberAttributes(memberId);
    }
}
