package io.pointsledger.churn;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A member's churn risk as of a day: the probability, by the newest model, that they buy nothing in
 * the model's horizon after it. {@code risk} is null for a member with no purchase before that day:
 * there is nothing to judge them by.
 */
@Schema(example = """
        {"memberId": "0b4f8d52-52c8-4c2e-9d4b-8a4f6e1b2c3d", "asOf": "2026-11-30", "risk": 0.8132, "modelVersion": 3,
         "horizonDays": 90, "purchases": 4, "daysSinceLastPurchase": 187}""")
public record ChurnRisk(UUID memberId, LocalDate asOf,
        @Schema(nullable = true, minimum = "0", maximum = "1") Double risk,
        long modelVersion, int horizonDays, long purchases,
        @Schema(nullable = true) Long daysSinceLastPurchase) {

    static ChurnRisk of(PurchaseSummary summary, LocalDate asOf, Instant at, ChurnModel model) {
        if (summary.purchases() == 0) {
            return new ChurnRisk(summary.memberId(), asOf, null, model.version(), model.horizonDays(), 0, null);
        }
        return new ChurnRisk(summary.memberId(), asOf, model.regression().probability(summary.features(at)), model.version(),
                model.horizonDays(), summary.purchases(), (long) Math.floor(summary.recencyDays(at)));
    }
}
