package io.pointsledger.webhooks;

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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** A partner's webhooks, their signing secrets and their deliveries; set up by the operator, like the partner's keys. */
@Path("/v1/admin/partners/{partnerId}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private final WebhookService webhooks;
    private final CurrentCaller caller;

    WebhookResource(WebhookService webhooks, CurrentCaller caller) {
        this.webhooks = webhooks;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createWebhook", summary = "Subscribe a partner's URL to events",
            description = "Scope: admin. Audited. Each event of the types named is posted to the URL, signed (README, Webhooks). "
                    + "A partner receives its own transfers, bonuses and coupon redemptions; members' events (enrollment, tier, "
                    + "points expiring, coupon issued) only if it holds the read scope. The signing secret is in this answer "
                    + "and nowhere else, ever.")
    @APIResponse(responseCode = "201", description = "Created, with its first secret", headers = @Header(name = "Location",
            required = true, description = "The new webhook", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CreatedWebhook.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "PARTNER_NOT_FOUND, WEBHOOK_LIMIT_REACHED")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> create(@RestPath String partnerId, @NotNull @Valid CreateWebhookRequest request) {
        return webhooks.create(caller.get(), partnerId, request).map(created -> Response
                .created(URI.create("/v1/admin/partners/" + partnerId + "/webhooks/" + created.webhook().webhookId()))
                .entity(created).build());
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "A partner's webhooks", description = "Scope: admin. Oldest first; "
            + "all of them (at most points-ledger.webhooks.per-partner-max).")
    @APIResponse(responseCode = "200", description = "The webhooks")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "PARTNER_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<WebhookList> list(@RestPath String partnerId) {
        return webhooks.list(partnerId).map(WebhookList::new);
    }

    @GET
    @Path("/{webhookId}")
    @Operation(operationId = "findWebhook", summary = "A webhook and its secrets' ids", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The webhook")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "WEBHOOK_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Webhook> find(@RestPath String partnerId, @RestPath UUID webhookId) {
        return webhooks.find(partnerId, webhookId);
    }

    @DELETE
    @Path("/{webhookId}")
    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook",
            description = "Scope: admin. Audited. Its secrets and deliveries go with it, pending ones included.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "WEBHOOK_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> delete(@RestPath String partnerId, @RestPath UUID webhookId) {
        return webhooks.delete(caller.get(), partnerId, webhookId).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("/{webhookId}/secrets")
    @Operation(operationId = "rotateWebhookSecret", summary = "Rotate a webhook's signing secret",
            description = "Scope: admin. Audited. The new secret signs from now on; the one it replaces signs too until the "
                    + "overlap ends (points-ledger.webhooks.secret-overlap, 24 h), so each delivery meanwhile carries two "
                    + "signatures. The secret is in this answer and nowhere else, ever.")
    @APIResponse(responseCode = "201", description = "The new secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IssuedWebhookSecret.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "WEBHOOK_NOT_FOUND, WEBHOOK_SECRET_LIMIT_REACHED")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> rotateSecret(@RestPath String partnerId, @RestPath UUID webhookId) {
        return webhooks.rotateSecret(caller.get(), partnerId, webhookId)
                .map(secret -> Response.status(Response.Status.CREATED).entity(secret).build());
    }

    @DELETE
    @Path("/{webhookId}/secrets/{secretId}")
    @Operation(operationId = "expireWebhookSecret", summary = "Stop a previous secret signing now",
            description = "Scope: admin. Audited. Ends a rotation's overlap early, once the receiver verifies with the new "
                    + "secret. The current secret cannot be expired (rotate it). Expiring twice is harmless.")
    @APIResponse(responseCode = "204", description = "Expired")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "WEBHOOK_NOT_FOUND, WEBHOOK_SECRET_NOT_FOUND, WEBHOOK_SECRET_IS_CURRENT")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> expireSecret(@RestPath String partnerId, @RestPath UUID webhookId, @RestPath UUID secretId) {
        return webhooks.expireSecret(caller.get(), partnerId, webhookId, secretId).replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/{webhookId}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "A webhook's deliveries, newest first",
            description = "Scope: admin. Delivered and dead ones are kept for points-ledger.webhooks.retention (7 days).")
    @APIResponse(responseCode = "200", description = "A page of deliveries")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "WEBHOOK_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<WebhookDeliveryPage> deliveries(@RestPath String partnerId, @RestPath UUID webhookId,
            @Parameter(description = "Only deliveries in this status", schema = @Schema(implementation = WebhookDeliveryStatus.class))
            @RestQuery String status,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Deliveries per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + WebhooksConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return webhooks.deliveries(partnerId, webhookId, status, cursor, limit);
    }

    @POST
    @Path("/{webhookId}/deliveries/{deliveryId}/replay")
    @Operation(operationId = "replayWebhookDelivery", summary = "Try one delivery again now",
            description = "Scope: admin. Audited. Whatever its status: with a new retry window, and the same webhook-id, so a "
                    + "receiver that had it can tell.")
    @APIResponse(responseCode = "202", description = "Due now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookDelivery.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "WEBHOOK_NOT_FOUND, WEBHOOK_DELIVERY_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> replay(@RestPath String partnerId, @RestPath UUID webhookId, @RestPath UUID deliveryId) {
        return webhooks.replay(caller.get(), partnerId, webhookId, deliveryId).map(delivery -> Response.accepted(delivery).build());
    }

    @POST
    @Path("/{webhookId}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "replayDeadWebhookDeliveries", summary = "Try the dead deliveries since a moment again",
            description = "Scope: admin. Audited. After a receiver's outage longer than the retry window: its DEAD deliveries "
                    + "of events since `since`, oldest first, at most points-ledger.webhooks.replay-max (10 000) per request; "
                    + "`more` says whether to ask again.")
    @APIResponse(responseCode = "202", description = "Due now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReplayResult.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "WEBHOOK_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> replayDead(@RestPath String partnerId, @RestPath UUID webhookId, @NotNull @Valid ReplayRequest request) {
        return webhooks.replayDead(caller.get(), partnerId, webhookId, request).map(result -> Response.accepted(result).build());
    }
}
