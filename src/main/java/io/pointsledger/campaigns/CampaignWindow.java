package io.pointsledger.campaigns;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.OptBoolean;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * When a campaign applies, in the program's time zone, to the purchase's time ({@code occurredAt}):
 * from {@code from} (inclusive) until {@code until} (exclusive), on {@code daysOfWeek}, between
 * {@code fromTime} (inclusive) and {@code untilTime} (exclusive). Each part is optional.
 */
@Schema(example = """
        {"from": "2026-12-05T00:00:00", "until": "2026-12-07T00:00:00", "daysOfWeek": ["SATURDAY", "SUNDAY"],
         "fromTime": "07:00", "untilTime": "11:00"}""")
public record CampaignWindow(
        @JsonFormat(lenient = OptBoolean.FALSE)
        @Schema(nullable = true, type = SchemaType.STRING, format = "local-date-time", example = "2026-12-05T00:00:00",
                description = "A date and time without an offset, in the program's time zone") LocalDateTime from,
        @JsonFormat(lenient = OptBoolean.FALSE)
        @Schema(nullable = true, type = SchemaType.STRING, format = "local-date-time", example = "2026-12-07T00:00:00",
                description = "A date and time without an offset, in the program's time zone") LocalDateTime until,
        @Schema(nullable = true) Set<DayOfWeek> daysOfWeek,
        @JsonFormat(lenient = OptBoolean.FALSE)
        @Schema(nullable = true, type = SchemaType.STRING, format = "partial-time", example = "07:00") LocalTime fromTime,
        @JsonFormat(lenient = OptBoolean.FALSE)
        @Schema(nullable = true, type = SchemaType.STRING, format = "partial-time", example = "11:00") LocalTime untilTime) {
}
