package io.pointsledger.partners;

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

/** Partner channels and their API keys; administrators only. */
@Path("/v1/admin/partners")
@Produces(MediaType.APPLICATION_JSON)
public class PartnerResource {

    private final PartnerService partners;
    private final CurrentCaller caller;

    PartnerResource(PartnerService partners, CurrentCaller caller) {
        this.partners = partners;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@NotNull @Valid CreatePartnerRequest request) {
        Caller actor = caller.require(Scope.ADMIN);
        return partners.create(actor, request).map(partner -> Response
                .created(URI.create("/v1/admin/partners/" + partner.partnerId())).entity(partner).build());
    }

    @GET
    @Path("/{partnerId}")
    public Uni<Partner> find(@RestPath String partnerId) {
        caller.require(Scope.ADMIN);
        return partners.find(partnerId);
    }

    /** Issues a key. The key is in this answer and nowhere else, ever. */
    @POST
    @Path("/{partnerId}/keys")
    public Uni<Response> issueKey(@RestPath String partnerId) {
        Caller actor = caller.require(Scope.ADMIN);
        return partners.issueKey(actor, partnerId).map(key -> Response.status(Response.Status.CREATED).entity(key).build());
    }

    @DELETE
    @Path("/{partnerId}/keys/{keyId}")
    public Uni<Response> revokeKey(@RestPath String partnerId, @RestPath UUID keyId) {
        Caller actor = caller.require(Scope.ADMIN);
        return partners.revokeKey(actor, partnerId, keyId).replaceWith(Response.noContent().build());
    }
}
