package io.pointsledger.members;

import io.pointsledger.partners.Caller;
import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.Scope;
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
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Enrollment at the till or online, look-up by phone or email, erasure on request. */
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
    public Uni<Response> enroll(@NotNull @Valid EnrollMemberRequest request) {
        caller.require(Scope.EARN);
        return members.enroll(request).map(member -> Response
                .created(URI.create("/v1/members/" + member.memberId()))
                .entity(member)
                .build());
    }

    @GET
    public Uni<MemberPage> lookUp(@RestQuery String email, @RestQuery String phone) {
        caller.require(Scope.READ);
        return members.lookUp(email, phone).map(MemberPage::new);
    }

    @GET
    @Path("/{memberId}")
    public Uni<Member> find(@RestPath UUID memberId) {
        caller.require(Scope.READ);
        return members.find(memberId);
    }

    /** Erases personal data (privacy request); points and history stay. */
    @DELETE
    @Path("/{memberId}")
    public Uni<Response> erase(@RestPath UUID memberId) {
        Caller actor = caller.require(Scope.ADMIN);
        return members.erase(actor, memberId).replaceWith(Response.noContent().build());
    }
}
