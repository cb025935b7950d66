package io.pointsledger.communication;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
    @APIResponse(responseCode = "200", description = "The member's preferences")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.PII)
    public Uni<ContactPreferences> find(@RestPath UUID memberId) {
        return preferences.preferences(memberId);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "changeContactPreferences", summary = "State how a member may be contacted",
            description = "Scope: pii. Stated whole: every channel's consent, the preferred channel (one consented to, "
                    + "or null), quiet hours (or null), and the source. A consent's time and source change only when "
                    + "the consent does; each change is audited.")
    @APIResponse(responseCode = "200", description = "The member's preferences as stated")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND, MEMBER_ERASED")
    @RequiresScope(Scope.PII)
    public Uni<ContactPreferences> change(@RestPath UUID memberId, @NotNull @Valid ContactPreferencesRequest request) {
        return preferences.change(caller.get(), memberId, request);
    }
}
