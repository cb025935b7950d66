package io.pointsledger.reservations;

import io.pointsledger.partners.CurrentCaller;
import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.OpenApiContract;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

/** Whether members came to what they booked, recorded by store staff. */
@Path("/v1/admin/reservations/{reservationId}/attendance")
@Produces(MediaType.APPLICATION_JSON)
public class ReservationAttendanceResource {

    private final ReservationService reservations;
    private final CurrentCaller caller;

    ReservationAttendanceResource(ReservationService reservations, CurrentCaller caller) {
        this.reservations = reservations;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "recordAttendance", summary = "Record whether the member came",
            description = "Scope: admin. Audited. ATTENDED from an hour before the slot (an early arrival), NO_SHOW once it has "
                    + "started; recording the outcome it has changes nothing. An attendance is a RESERVATION_ATTENDED event, "
                    + "which campaigns of that trigger reward.")
    @APIResponse(responseCode = "200", description = "Recorded")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "RESERVATION_NOT_FOUND, RESERVATION_NOT_CHANGEABLE")
    @RequiresScope(Scope.ADMIN)
    public Uni<Reservation> record(
            @Parameter(description = "As booked", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID reservationId,
            @NotNull @Valid AttendanceRequest request) {
        return reservations.recordAttendance(caller.get(), reservationId, request.outcome());
    }
}
