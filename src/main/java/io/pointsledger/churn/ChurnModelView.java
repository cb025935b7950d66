package io.pointsledger.churn;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A churn model as the API shows it: what it learnt from and each feature's weight (on the
 * standardised feature: positive raises the risk), so that an operator can see what drives it.
 */
@Schema(name = "ChurnModel", example = """
        {"version": 3, "trainedAt": "2026-11-30T02:30:04Z", "asOf": "2026-11-30", "horizonDays": 90, "trainingMembers": 4105,
         "churnShare": 0.46, "trainingAuc": 0.771, "bias": -0.12,
         "weights": {"logRecencyDays": 0.61, "logPurchases": -0.42, "logMeanBasket": 0.03, "logTenureDays": 0.21,
                     "logOverdue": 0.35, "quarterTrend": -0.08, "logMonthsActive": -0.27, "logPurchasesPerYear": -0.19,
                     "returnShare": 0.0}}""")
public record ChurnModelView(long version, Instant trainedAt, LocalDate asOf, int horizonDays, int trainingMembers, double churnShare,
        double trainingAuc, double bias, Map<String, Double> weights) {

    static ChurnModelView of(ChurnModel model) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (int index = 0; index < model.featureNames().size(); index++) {
            weights.put(model.featureNames().get(index), model.regression().weights()[index]);
        }
        return new ChurnModelView(model.version(), model.trainedAt(), model.asOf(), model.horizonDays(), model.trainingMembers(),
                model.churnShare(),
                model.trainingAuc(), model.regression().bias(), weights);
    }
}
