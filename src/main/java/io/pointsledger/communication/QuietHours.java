package io.pointsledger.communication;

import jakarta.validation.constraints.NotNull;
import java.time.LocalTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Hours of the day, in the program's time zone, in which nothing is delivered to a member; from
 * after until spans midnight (22:00 to 08:00). {@code from} is included, {@code until} is not.
 */
@Schema(description = "Hours of the day (program time zone) in which nothing is delivered to the member: from "
        + "(included) to until (excluded); from after until spans midnight.", example = """
        {"from": "22:00:00", "until": "08:00:00"}""")
public record QuietHours(@NotNull @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
        format = "partial-time", example = "22:00:00") LocalTime from,
        @NotNull @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                format = "partial-time", example = "08:00:00") LocalTime until) {

    /** Whether {@code time} falls in the quiet hours. */
    public boolean contains(LocalTime time) {
        return from.isBefore(until)
                ? !time.isBefore(from) && time.isBefore(until)
                : !time.isBefore(from) || time.isBefore(until);
    }
}
