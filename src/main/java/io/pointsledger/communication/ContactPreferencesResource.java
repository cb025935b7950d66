package io.pointsledger.communication;

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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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
 * How members are contacted: the member (through their app, with a pii key) states consent per
 * channel, a preferred channel and quiet hours. The link in every message is {@link UnsubscribeResource}.
 */
@Path("/v1/members/{memberId}/contact-preferences")
@Produces(MediaType.APPLICATION_JSON)
public class ContactPreferencesResource {

    private final ContactPreferencesService preferences;
    private final CurrentCaller caller;

    ContactPreferencesResource(ContactPreferencesService preferences, CurrentCaller caller) {
        this.preferences = preferences;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "contactPreferences", summary = "How a member may be contacted",
            description = "Scope: pii. Consent for each channel (EMAIL, SMS, PUSH) with when and through what it was "
                    + "given or withdrawn, the preferred channel, quiet hours. A member who never said anything has no "
                    + "consent: nothing is sent to them.")
    @APIResponse(responseCode = "200", description = "The member's preferences", headers = @Header(name = "ETag", required = true,
            description = "Their version, quoted (\"0\" before any): what a statement names in If-Match",
            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContactPreferences.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.PII)
    public Uni<Response> find(@RestPath UUID memberId) {
        return preferences.preferences(memberId).map(ContactPreferencesResource::withTag);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "changeContactPreferences", summary = "State how a member may be contacted",
            description = "Scope: pii. Stated whole: every channel's consent, the preferred channel (one consented to, "
                    + "or null), quiet hours (or null), and the source. A consent's time and source change only when "
                    + "the consent does; each change is audited. If-Match names the version the statement was read at "
                    + "(the ETag of GET; \"0\" before any): one read before an unsubscribe link was clicked is refused, "
                    + "so that it cannot grant the consent again.")
    @APIResponse(responseCode = "200", description = "The member's preferences as stated", headers = @Header(name = "ETag",
            required = true, description = "Their new version, quoted", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContactPreferences.class)))
    @Extension(name = OpenApiContract.ERROR_CODES,
            value = "MEMBER_NOT_FOUND, MEMBER_ERASED, CONTACT_PREFERENCES_VERSION_MISMATCH, IF_MATCH_REQUIRED")
    @RequiresScope(Scope.PII)
    public Uni<Response> change(@RestPath UUID memberId,
            @Parameter(description = "The version the statement was read at, as the ETag gave it") @RestHeader(IfMatch.HEADER) String ifMatch,
            @NotNull @Valid ContactPreferencesRequest request) {
        request.refuseContradictions(); // a fault of the body is told before a missing If-Match, as for any other
        return preferences.change(caller.get(), memberId, IfMatch.required(ifMatch, "contact preferences"), request)
                .map(ContactPreferencesResource::withTag);
    }

    private static Response withTag(ContactPreferences stated) {
        return IfMatch.tagged(stated, stated.version());
    }
}
