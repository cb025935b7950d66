package io.pointsledger.offers;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.OpenApiContract;
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

/** Member-only offers, managed by the program operator. */
@Path("/v1/admin/offers")
@Produces(MediaType.APPLICATION_JSON)
public class OfferResource {

    private final OfferService offers;
    private final CurrentCaller caller;

    OfferResource(OfferService offers, CurrentCaller caller) {
        this.offers = offers;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createOffer", summary = "Create an offer, active at once",
            description = "Scope: admin. Audited. Members eligible see it in their offers within its window.")
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", required = true,
            description = "The new offer", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Offer.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "COUPON_DEFINITION_NOT_FOUND, ACTIVE_OFFER_LIMIT_REACHED, SEGMENT_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> create(@NotNull @Valid OfferRequest request) {
        return offers.create(caller.get(), request).map(offer -> Response
                .created(URI.create("/v1/admin/offers/" + offer.offerId())).entity(offer).build());
    }

    @GET
    @Operation(operationId = "listOffers", summary = "Offers, newest first", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "One page of offers")
    @RequiresScope(Scope.ADMIN)
    public Uni<OfferPage> page(
            @Parameter(description = "Only offers in this status", schema = @Schema(implementation = OfferStatus.class))
            @RestQuery String status,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Offers per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + OffersConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return offers.page(status, cursor, limit);
    }

    @GET
    @Path("/{offerId}")
    @Operation(operationId = "findOffer", summary = "An offer", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The offer")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "OFFER_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Offer> find(@Parameter(description = "As created", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID offerId) {
        return offers.find(offerId);
    }

    @POST
    @Path("/{offerId}/end")
    @Operation(operationId = "endOffer", summary = "End an offer, for good",
            description = "Scope: admin. Audited. No member sees it from then on.")
    @APIResponse(responseCode = "200", description = "The offer, ended",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Offer.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "OFFER_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Offer> end(@Parameter(description = "As created", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID offerId) {
        return offers.end(caller.get(), offerId);
    }
}
