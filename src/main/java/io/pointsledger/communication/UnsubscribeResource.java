package io.pointsledger.communication;

import io.pointsledger.partners.Anonymous;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

/** The one-click link in every message: no API key, the signed token is the proof. */
@Path("/v1/unsubscribe")
@Produces(MediaType.APPLICATION_JSON)
public class UnsubscribeResource {

    private final ContactPreferencesService preferences;
    private final UnsubscribeLinks links;

    UnsubscribeResource(ContactPreferencesService preferences, UnsubscribeLinks links) {
        this.preferences = preferences;
        this.links = links;
    }

    /**
     * The link as a person follows it (a click in an email, a link in an SMS): a page with one
     * button, which POSTs. A GET changes nothing, since mail scanners and link previews fetch links
     * nobody clicked.
     */
    @GET
    @Path("/{token}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(operationId = "unsubscribePage", summary = "The page an unsubscribe link opens",
            description = "No API key. A page naming the channel, with one button that withdraws the consent (a POST to "
                    + "the same address); opening it changes nothing. A token not signed by the service, or expired, is "
                    + "UNSUBSCRIBE_LINK_INVALID.")
    @APIResponse(responseCode = "200", description = "The page", content = @Content(mediaType = MediaType.TEXT_HTML,
            schema = @Schema(type = SchemaType.STRING, example = "<!DOCTYPE html><html lang=\"en\">…<form method=\"post\" "
                    + "action=\"/v1/unsubscribe/AQ…\"><button type=\"submit\">Unsubscribe from EMAIL</button></form>…</html>")))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "UNSUBSCRIBE_LINK_INVALID")
    @Extension(name = OpenApiContract.ANONYMOUS, value = "true")
    @Anonymous
    public String page(@Parameter(description = "The token of the link, as the message gave it",
            schema = @Schema(type = SchemaType.STRING, maxLength = UnsubscribeLinks.TOKEN_LENGTH_MAX)) @RestPath String token) {
        UnsubscribeLinks.Link link = links.read(token);
        return MessageTemplates.unsubscribePage(link.channel().name());
    }

    /**
     * RFC 8058 one-click: a mail client POSTs {@code List-Unsubscribe=One-Click} as a form; any body
     * is accepted and none is read, the token in the path being the whole request.
     */
    @POST
    @Path("/{token}")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "unsubscribe", summary = "Withdraw a consent in one click",
            description = "No API key: the token, signed by the service and put in every message it sends, is the "
                    + "proof. Withdraws the member's consent to the channel the message came on (RFC 8058 one-click; "
                    + "any body, none read). Works once: a second use is UNSUBSCRIBE_LINK_USED. Audited.")
    @APIResponse(responseCode = "200", description = "The consent was withdrawn")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "UNSUBSCRIBE_LINK_INVALID, UNSUBSCRIBE_LINK_USED")
    @Extension(name = OpenApiContract.ANONYMOUS, value = "true")
    @Anonymous
    public Uni<Unsubscribed> unsubscribe(@Parameter(description = "The token of the link, as the message gave it",
            schema = @Schema(type = SchemaType.STRING, maxLength = UnsubscribeLinks.TOKEN_LENGTH_MAX)) @RestPath String token) {
        return preferences.unsubscribe(token);
    }
}
