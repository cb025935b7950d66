package io.pointsledger.churn;

import java.time.LocalDate;
import java.util.UUID;

/** One member's churn risk as of a day, by one model version. */
record ChurnScore(UUID memberId, long modelVersion, LocalDate asOf, double risk) {
}
