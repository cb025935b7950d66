package io.pointsledger.churn;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A trained churn model: version, what it learnt from, the question it answers (no purchase within
 * {@code horizonDays}), and how it scores. {@code trainingAuc} is
 * measured on its own training examples (an optimistic figure; the evaluation gives an honest one).
 */
public record ChurnModel(long version, Instant trainedAt, LocalDate asOf, int horizonDays, List<String> featureNames, LogisticRegression regression,
        int trainingMembers, double churnShare, double trainingAuc) {
}
