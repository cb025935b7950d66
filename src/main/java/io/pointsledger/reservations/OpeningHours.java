package io.pointsledger.reservations;

import jakarta.validation.constraints.NotNull;
import java.time.DayOfWeek;
import java.time.LocalTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The hours of one weekday a bookable takes bookings for, in the program's time zone; {@code closes} is the end of the last slot. */
@Schema(example = """
        {"day": "SATURDAY", "opens": "10:00", "closes": "18:00"}""")
public record OpeningHours(@NotNull DayOfWeek day, @NotNull @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
        format = "partial-time", example = "10:00") LocalTime opens,
        @NotNull @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "partial-time",
                example = "18:00") LocalTime closes) {
}
