package io.pointsledger.reservations;

import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.OpenApiContract;
import io.pointsledger.platform.QueryDays;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
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
import org.jboss.resteasy.reactive.RestQuery;

/** What is left to book of a bookable, for tills and apps. */
@Path("/v1/bookables/{bookableId}/availability")
@Produces(MediaType.APPLICATION_JSON)
public class AvailabilityResource {

    private final ReservationService reservations;

    AvailabilityResource(ReservationService reservations) {
        this.reservations = reservations;
    }

    @GET
    @Operation(operationId = "findAvailability", summary = "A bookable's slots over some days, with the capacity left",
            description = "Scope: read. Days in the program's time zone, both included: from defaults to today, to to from; "
                    + "31 days at most.")
    @APIResponse(responseCode = "200", description = "The slots")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "BOOKABLE_NOT_FOUND")
    @RequiresScope(Scope.READ)
    public Uni<Availability> availability(
            @Parameter(description = "As created", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestPath UUID bookableId,
            @Parameter(description = "The first day, YYYY-MM-DD", schema = @Schema(type = SchemaType.STRING, format = "date"))
            @RestQuery String from,
            @Parameter(description = "The last day, YYYY-MM-DD", schema = @Schema(type = SchemaType.STRING, format = "date"))
            @RestQuery String to) {
        return reservations.availability(bookableId, QueryDays.parse("from", from), QueryDays.parse("to", to));
    }
}
