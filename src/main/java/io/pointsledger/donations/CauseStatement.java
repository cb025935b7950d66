package io.pointsledger.donations;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a cause received over {@code [from, to)}, for the hand-over to the charity: members'
 * donations and the program's match, in points and in money at the program's point value.
 */
@Schema(example = """
        {"causeId": "0193a1b0-2222-7e5f-8a9b-0c1d2e3f4a5b", "name": "Children's hospital winter appeal",
         "from": "2026-11-01T00:00:00+09:00", "to": "2026-12-01T00:00:00+09:00", "donations": 240, "donors": 198,
         "donatedPoints": 120000, "matchedPoints": 12000, "totalPoints": 132000,
         "pointValuePerThousandPoints": 1000, "currency": "USD", "donatedValue": 120000, "matchedValue": 12000,
         "totalValue": 132000}""")
public record CauseStatement(UUID causeId, String name, OffsetDateTime from, OffsetDateTime to,
        @Schema(description = "Donations made in the period") long donations,
        @Schema(description = "Distinct members who donated in the period") long donors,
        long donatedPoints, long matchedPoints, long totalPoints,
        @Schema(description = "What a thousand points are worth, in minor units of currency") long pointValuePerThousandPoints,
        String currency,
        @Schema(description = "In minor units of currency, rounded half up") long donatedValue,
        @Schema(description = "In minor units of currency, rounded half up") long matchedValue,
        @Schema(description = "In minor units of currency: donatedValue + matchedValue") long totalValue) {
}
