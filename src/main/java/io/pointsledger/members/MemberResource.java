package io.pointsledger.members;

import io.pointsledger.partners.Caller;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IfMatch;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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

/**
 * Enrollment at the till or online, look-up by phone or email, erasure on request. Who a member is
 * (name, email, phone, birth date, external id) is shown only to callers with the pii scope.
 */
@Path("/v1/members")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MemberResource {

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";

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
    @APIResponse(responseCode = "200", description = "The member", headers = @Header(name = "ETag", required = true,
            description = "The profile's version, quoted: what a change names in If-Match",
            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Member.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<Response> find(@RestPath UUID memberId) {
        return members.find(caller.get(), memberId).map(MemberResource::withTag);
    }

    /** The member (or their app, holding a pii key) edits their own profile. */
    @PATCH
    @Path("/{memberId}")
    @Consumes({MERGE_PATCH_JSON, MediaType.APPLICATION_JSON})
    @Operation(operationId = "changeMemberProfile", summary = "Change a member's profile",
            description = "Scope: pii. A JSON merge patch (RFC 7396, application/merge-patch+json or application/json): "
                    + "a field left out stays, null removes it (not name), a value replaces it under the rules of "
                    + "enrollment. If-Match names the version the change is made against (the ETag of the member as "
                    + "read; * for any). Audited with the names of the fields changed, never their values. A changed "
                    + "email or phone is found by look-ups from then on, the old one no longer.")
    @APIResponse(responseCode = "200", description = "The member as changed", headers = @Header(name = "ETag",
            required = true, description = "The profile's version, quoted", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Member.class)))
    @Extension(name = OpenApiContract.ERROR_CODES,
            value = "MEMBER_NOT_FOUND, MEMBER_ERASED, MEMBER_VERSION_MISMATCH, IF_MATCH_REQUIRED")
    @RequiresScope(Scope.PII)
    public Uni<Response> changeProfile(@RestPath UUID memberId,
            @Parameter(description = "The version the change is made against, as the member's ETag gives it")
            @RestHeader(IfMatch.HEADER) String ifMatch,
            @NotNull @Valid MemberProfileChanges changes) {
        changes.refuseRemovedName(); // a fault of the body is told before a missing If-Match, as for any other
        Long expected = IfMatch.required(ifMatch, "member");
        return members.changeProfile(caller.get(), memberId, expected, changes).map(MemberResource::withTag);
    }

    private static Response withTag(Member member) {
        return IfMatch.tagged(member, member.version());
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
