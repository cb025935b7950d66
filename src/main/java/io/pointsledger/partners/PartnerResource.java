package io.pointsledger.partners;

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
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
    @Operation(operationId = "createPartner", summary = "Create a partner channel", description = "Scope: admin. Audited.")
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", required = true,
            description = "The new partner", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Partner.class)))
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> create(@NotNull @Valid CreatePartnerRequest request) {
        Caller actor = caller.get();
        return partners.create(actor, request).map(partner -> Response
                .created(URI.create("/v1/admin/partners/" + partner.partnerId())).entity(partner).build());
    }

    @GET
    @Path("/{partnerId}")
    @Operation(operationId = "findPartner", summary = "A partner and its keys' ids", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The partner")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "PARTNER_NOT_FOUND")
    @Parameter(name = "partnerId", in = ParameterIn.PATH, description = "As created",
            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    @RequiresScope(Scope.ADMIN)
    public Uni<Partner> find(@RestPath String partnerId) {
        return partners.find(partnerId);
    }

    /** Issues a key. The key is in this answer and nowhere else, ever. */
    @POST
    @Path("/{partnerId}/keys")
    @Operation(operationId = "issueApiKey", summary = "Issue an API key",
            description = "Scope: admin. Audited. A partner has at most a configured number of active keys (2 by default): "
                    + "revoke one to rotate.")
    @APIResponse(responseCode = "201", description = "Issued; the key is in this answer and nowhere else, ever",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IssuedApiKey.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "PARTNER_NOT_FOUND, ACTIVE_KEY_LIMIT_REACHED")
    @Parameter(name = "partnerId", in = ParameterIn.PATH, description = "As created",
            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> issueKey(@RestPath String partnerId) {
        Caller actor = caller.get();
        return partners.issueKey(actor, partnerId).map(key -> Response.status(Response.Status.CREATED).entity(key).build());
    }

    @DELETE
    @Path("/{partnerId}/keys/{keyId}")
    @Operation(operationId = "revokeApiKey", summary = "Revoke an API key",
            description = "Scope: admin. Audited. At once on every instance (a Redis broadcast); within 30 seconds on an "
                    + "instance that cannot hear it while Redis is down. Revoking twice is harmless.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "API_KEY_NOT_FOUND")
    @Parameter(name = "partnerId", in = ParameterIn.PATH, description = "As created",
            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> revokeKey(@RestPath String partnerId, @RestPath UUID keyId) {
        Caller actor = caller.get();
        return partners.revokeKey(actor, partnerId, keyId).replaceWith(Response.noContent().build());
    }
}
