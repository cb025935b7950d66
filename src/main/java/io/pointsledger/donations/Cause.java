package io.pointsledger.donations;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A cause's account: what members gave, what the program matched, and the balance they add up to. */
@Schema(example = """
        {"causeId": "0193a1b0-2222-7e5f-8a9b-0c1d2e3f4a5b", "status": "ACTIVE", "name": "Children's hospital winter appeal",
         "description": "Every 1 000 points buys a meal", "matching": {"rateBasisPoints": 1000, "budgetPoints": 500000},
         "donatedPoints": 120000, "matchedPoints": 12000, "balance": 132000, "version": 1,
         "createdAt": "2026-11-29T08:00:00Z"}""")
public record Cause(UUID causeId, CauseStatus status, String name, @Schema(nullable = true) String description,
        CauseMatching matching, long donatedPoints,
        @Schema(description = "What the program added; never above matching.budgetPoints") long matchedPoints,
        @Schema(description = "donatedPoints + matchedPoints") long balance,
        @Schema(description = "Moves with each change the operator makes, not with donations: what a budget raise names "
                + "in If-Match") long version,
        OffsetDateTime createdAt) {
}
