package io.pointsledger.reservations;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A service members book at a store: its capacity per slot, slot length, opening hours and how far ahead it is booked. */
@Schema(example = """
        {"store": "GANGNAM-01", "service": "Suit fitting", "capacity": 2, "slotMinutes": 30,
         "openingHours": [{"day": "SATURDAY", "opens": "10:00", "closes": "18:00"}], "bookingWindowDays": 14}""")
public record BookableRequest(
        @NotBlank @Size(max = ApiLimits.PARTNER_ID_LENGTH_MAX) String store,
        @NotBlank @Size(max = ApiLimits.NAME_LENGTH_MAX) String service,
        @NotNull @Min(1) @Max(ApiLimits.BOOKABLE_CAPACITY_MAX) Integer capacity,
        @NotNull @Min(5) @Max(1440) Integer slotMinutes,
        @NotEmpty @Size(max = 21) List<@NotNull @Valid OpeningHours> openingHours,
        @Schema(nullable = true, description = "Days ahead a BASIC member may book; upper tiers more (default 14)")
        @Min(1) @Max(365) Integer bookingWindowDays) {

    static final int BOOKING_WINDOW_DAYS_DEFAULT = 14;

    int bookingWindowDaysOrDefault() {
        return bookingWindowDays == null ? BOOKING_WINDOW_DAYS_DEFAULT : bookingWindowDays;
    }
}
