package io.pointsledger.reservations;

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

/** Bookable services (a fitting, a class, a table, a repair slot at a store), for the program's operators. */
@Path("/v1/admin/bookables")
@Produces(MediaType.APPLICATION_JSON)
public class BookableResource {

    private final ReservationService reservations;
    private final CurrentCaller caller;

    BookableResource(ReservationService reservations, CurrentCaller caller) {
        this.reservations = reservations;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createBookable", summary = "Offer a service for booking at a store",
            description = "Scope: admin. Audited. Slots of slotMinutes from each opening, capacity bookings each.")
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", required = true,
            description = "The new bookable", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Bookable.class)))
    @RequiresScope(Scope.ADMIN)
    public Uni<Response> create(@NotNull @Valid BookableRequest request) {
        return reservations.createBookable(caller.get(), request).map(bookable -> Response
                .created(URI.create("/v1/admin/bookables/" + bookable.bookableId())).entity(bookable).build());
    }

    @GET
    @Operation(operationId = "listBookables", summary = "Bookable services, newest first", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "One page of bookables")
    @RequiresScope(Scope.ADMIN)
    public Uni<BookablePage> page(
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Bookables per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + ReservationsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return reservations.bookables(cursor, limit);
    }

    @GET
    @Path("/{bookableId}")
    @Operation(operationId = "findBookable", summary = "A bookable service", description = "Scope: admin.")
    @APIResponse(responseCode = "200", description = "The bookable")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "BOOKABLE_NOT_FOUND")
    @RequiresScope(Scope.ADMIN)
    public Uni<Bookable> find(@Parameter(description = "As created", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestPath UUID bookableId) {
        return reservations.bookable(bookableId);
    }
}
