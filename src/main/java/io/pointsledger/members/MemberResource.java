package io.pointsledger.members;

import io.pointsledger.partners.Caller;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Enrollment at the till or online, look-up by phone or email, erasure on request. Who a member is
 * (name, email, phone, birth date, external id) is shown only to callers with the pii scope.
 */
@Path("/v1/members")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MemberResource {

    private final MemberService members;
    private final CurrentCaller caller;

    MemberResource(MemberService members, CurrentCaller caller) {
        this.members = members;
        this.caller = caller;
    }

    /** Channels that earn may enroll: a till signs a shopper up and earns on the same receipt. */
    @POST
    @Operation(operationId = "enrollMember", summary = "Enroll a member",
            description = "Scope: earn (a till signs a shopper up and earns on the same receipt). The answer carries "
                    + "externalId, name, email, phone and birthDate only for a caller with the pii scope; null otherwise.")
    @APIResponse(responseCode = "201", description = "Enrolled", headers = @Header(name = "Location", required = true,
            description = "The new member", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Member.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_ALREADY_EXISTS")
    @RequiresScope(Scope.EARN)
    public Uni<Response> enroll(@NotNull @Valid EnrollMemberRequest request) {
        return members.enroll(caller.get(), request).map(member -> Response
                .created(URI.create("/v1/members/" + member.memberId()))
                .entity(member)
                .build());
    }

    /** A POST, so that the email or phone searched for stays out of URLs and access logs. */
    @POST
    @Path("/lookups")
    @Operation(operationId = "lookUpMembers", summary = "Find members by exact email or phone",
            description = "Scope: pii. Give exactly one of email or phone; anything else is VALIDATION_FAILED. "
                    + "Every look-up is audited (the field searched and the members found, not the value).")
    @APIResponse(responseCode = "200", description = "The members matching, possibly none",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MemberPage.class)))
    @RequiresScope(Scope.PII)
    public Uni<MemberPage> lookUp(@NotNull @Valid MemberLookupRequest request) {
        return members.lookUp(caller.get(), request).map(MemberPage::new);
    }

    @GET
    @Path("/{memberId}")
    @Operation(operationId = "findMember", summary = "A member with their tier and points",
            description = "Scope: read. externalId, name, email, phone and birthDate are null unless the caller also "
                    + "holds the pii scope.")
    @APIResponse(responseCode = "200", description = "The member")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<Member> find(@RestPath UUID memberId) {
        return members.find(caller.get(), memberId);
    }

    /** Erases personal data (privacy request); points and history stay. */
    @DELETE
    @Path("/{memberId}")
    @Operation(operationId = "eraseMember", summary = "Erase a member's personal data",
            description = "Scope: admin. Name, email, phone, birth date and externalId (free for a new enrollment "
                    + "afterwards) are erased, and so is what the member bought as kept for recommendations; points "
                    + "and history stay. Erasing twice is harmless.")
    @APIResponse(responseCode = "204", description = "Erased")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> erase(@RestPath UUID memberId) {
        Caller actor = caller.get();
        return members.erase(actor, memberId).replaceWith(Response.noContent().build());
    }
}
