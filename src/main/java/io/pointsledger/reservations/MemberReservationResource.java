package io.pointsledger.reservations;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.IdempotencyHeaders;
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
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** A member's reservations: booked, changed and cancelled by tills and apps, each write under an Idempotency-Key. */
@Path("/v1/members/{memberId}/reservations")
@Produces(MediaType.APPLICATION_JSON)
public class MemberReservationResource {

    private final ReservationService reservations;
    private final CurrentCaller caller;

    MemberReservationResource(ReservationService reservations, CurrentCaller caller) {
        this.reservations = reservations;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "bookReservation", summary = "Book a slot",
            description = "Scope: redeem. Never more bookings of a slot than its capacity, however many book at once. A member "
                    + "books up to the bookable's window ahead, an upper tier further. Reminders are planned at once: the day "
                    + "before at 18:00 and 2 hours before (program time zone). A retry with the same key answers the "
                    + "reservation as it stands, marked Idempotent-Replayed.")
    @APIResponse(responseCode = "201", description = "Booked", headers = @Header(name = "Location", required = true,
            description = "The reservation", schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Reservation.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "IDEMPOTENCY_KEY_REQUIRED, MEMBER_NOT_FOUND, BOOKABLE_NOT_FOUND, "
            + "RESERVATION_WINDOW_CLOSED, RESERVATION_SLOT_FULL, RESERVATION_ALREADY_BOOKED, IDEMPOTENCY_KEY_REUSED")
    @RequiresScope(Scope.REDEEM)
    public Uni<Response> book(
            @Parameter(description = "As enrolled", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID memberId,
            @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey, @NotNull @Valid BookRequest request) {
        return reservations.book(caller.get(), memberId, idempotencyKey, request).map(answer -> answered(Response
                .created(URI.create("/v1/members/" + memberId + "/reservations/" + answer.reservation().reservationId())), answer));
    }

    @GET
    @Operation(operationId = "listReservations", summary = "A member's reservations, newest first", description = "Scope: read.")
    @APIResponse(responseCode = "200", description = "One page of reservations")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "MEMBER_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<ReservationPage> page(
            @Parameter(description = "As enrolled", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID memberId,
            @Parameter(description = "The nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Reservations per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + ReservationsConfig.PAGE_SIZE_MAX, defaultValue = "50")) @RestQuery String limit) {
        return reservations.reservations(memberId, cursor, limit);
    }

    @GET
    @Path("/{reservationId}")
    @Operation(operationId = "findReservation", summary = "A member's reservation", description = "Scope: read.")
    @APIResponse(responseCode = "200", description = "The reservation")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "RESERVATION_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<Reservation> find(
            @Parameter(description = "As enrolled", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID memberId,
            @Parameter(description = "As booked", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID reservationId) {
        return reservations.reservation(memberId, reservationId);
    }

    @POST
    @Path("/{reservationId}/change")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "changeReservation", summary = "Move a reservation to another slot of its bookable",
            description = "Scope: redeem. A seat of the new slot is taken and the old one freed together; the reminders are "
                    + "planned anew. Only a booked reservation whose slot has not started.")
    @APIResponse(responseCode = "200", description = "Moved",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Reservation.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "IDEMPOTENCY_KEY_REQUIRED, MEMBER_NOT_FOUND, RESERVATION_NOT_FOUND, "
            + "RESERVATION_NOT_CHANGEABLE, RESERVATION_WINDOW_CLOSED, RESERVATION_SLOT_FULL, RESERVATION_ALREADY_BOOKED, "
            + "IDEMPOTENCY_KEY_REUSED")
    @RequiresScope(Scope.REDEEM)
    public Uni<Response> change(
            @Parameter(description = "As enrolled", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID memberId,
            @Parameter(description = "As booked", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID reservationId,
            @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey, @NotNull @Valid ChangeRequest request) {
        return reservations.change(caller.get(), memberId, reservationId, idempotencyKey, request).map(answer -> answered(Response.ok(), answer));
    }

    @POST
    @Path("/{reservationId}/cancellation")
    @Operation(operationId = "cancelReservation", summary = "Cancel a reservation",
            description = "Scope: redeem. Its seat is freed and its reminders are not sent. Only before its slot starts. "
                    + "Takes no body.")
    @APIResponse(responseCode = "200", description = "Cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Reservation.class)))
    @Extension(name = OpenApiContract.ERROR_CODES, value = "IDEMPOTENCY_KEY_REQUIRED, RESERVATION_NOT_FOUND, "
            + "RESERVATION_NOT_CHANGEABLE, IDEMPOTENCY_KEY_REUSED")
    @RequiresScope(Scope.REDEEM)
    public Uni<Response> cancel(
            @Parameter(description = "As enrolled", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID memberId,
            @Parameter(description = "As booked", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID reservationId,
            @RestHeader(IdempotencyHeaders.KEY) String idempotencyKey) {
        return reservations.cancel(caller.get(), memberId, reservationId, idempotencyKey).map(answer -> answered(Response.ok(), answer));
    }

    private static Response answered(Response.ResponseBuilder response, ReservationService.Answer answer) {
        response.entity(answer.reservation());
        if (answer.replayed()) {
            response.header(IdempotencyHeaders.REPLAYED, "true");
        }
        return response.build();
    }
}
