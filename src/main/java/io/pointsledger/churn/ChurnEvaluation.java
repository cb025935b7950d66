package io.pointsledger.churn;

import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How well churn was foreseen at a cutoff: a model trained on what was known then scored every
 * member with a purchase before it; {@code churned} of them bought nothing in the horizon after it.
 * ROC AUC of the model next to a recency-only score (days since the last purchase).
 */
@Schema(example = """
        {"cutoff": "2011-09-01", "horizonDays": 90, "trainingMembers": 3770, "members": 1667, "churned": 726,
         "modelAuc": 0.746, "recencyAuc": 0.686, "features": 9}""")
public record ChurnEvaluation(LocalDate cutoff, int horizonDays, int trainingMembers, int members, int churned,
        double modelAuc, double recencyAuc, int features) {
}
