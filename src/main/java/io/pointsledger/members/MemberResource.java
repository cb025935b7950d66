package io.pointsledger.members;

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
import org.jboss.resteasy.reactive.RestPath;

/** Enrollment at the till, online or by an operator, and member look-up. */
@Path("/v1/members")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MemberResource {

    private final MemberService members;

    MemberResource(MemberService members) {
        this.members = members;
    }

    @POST
    public Uni<Response> enroll(@NotNull @Valid EnrollMemberRequest request) {
        return members.enroll(request).map(member -> Response
                .created(URI.create("/v1/members/" + member.memberId()))
                .entity(member)
                .build());
    }

    @GET
    @Path("/{memberId}")
    public Uni<Member> find(@RestPath UUID memberId) {
        return members.find(memberId);
    }
}
