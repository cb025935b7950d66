package io.pointsledger.churn;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a member's purchases before a moment say about them, the raw material of churn features:
 * earns and purchases brought over from before the program, returns being reversals of earns.
 *
 * @param purchases          purchases before the moment (zero: the member cannot be scored)
 * @param firstAt            the first one's time (null with no purchase)
 * @param lastAt             the last one's time (null with no purchase)
 * @param amountMinorUnits   what they cost together
 * @param lastQuarter        purchases in the 90 days before the moment
 * @param quarterBefore      purchases in the 90 days before those
 * @param monthsActive       calendar months (in the program's time zone) with a purchase
 * @param returns            earns reversed before the moment
 * @param boughtInWindow     for training and evaluation: whether they bought in the window after the moment
 */
public record PurchaseSummary(UUID memberId, long purchases, Instant firstAt, Instant lastAt, long amountMinorUnits,
        long lastQuarter, long quarterBefore, long monthsActive, long returns, boolean boughtInWindow) {

    /** The features the model weighs, in this order (stored with each model). */
    public static final List<String> FEATURES = List.of("logRecencyDays", "logPurchases", "logMeanBasket", "logTenureDays",
            "logOverdue", "quarterTrend", "logMonthsActive", "logPurchasesPerYear", "returnShare");

    private static final double SECONDS_PER_DAY = 86_400;
    /** A member with a short history is not extrapolated to a yearly rate from a few days. */
    private static final double RATE_DAYS_MIN = 30;

    /**
     * The feature vector as of {@code asOf}. Counts and spans are taken as logarithms: the step
     * from 1 to 2 purchases says much more than the step from 40 to 41. {@code logOverdue} is how
     * long since the last purchase against the member's own mean interval, so that a weekly buyer
     * silent for a month is riskier than a quarterly buyer silent for a month.
     */
    public double[] features(Instant asOf) {
        if (purchases == 0) {
            throw new IllegalStateException("A member without purchases has no churn features");
        }
        double recencyDays = days(lastAt, asOf);
        double tenureDays = days(firstAt, asOf);
        double meanIntervalDays = purchases > 1 ? days(firstAt, lastAt) / (purchases - 1) : tenureDays;
        return new double[] {
            Math.log1p(recencyDays),
            Math.log1p(purchases),
            Math.log1p(amountMinorUnits / (double) purchases / 100),
            Math.log1p(tenureDays),
            Math.log1p(recencyDays / Math.max(1, meanIntervalDays)),
            Math.log1p(lastQuarter) - Math.log1p(quarterBefore),
            Math.log1p(monthsActive),
            Math.log1p(purchases / Math.max(RATE_DAYS_MIN, tenureDays) * 365),
            returns / (double) purchases,
        };
    }

    /** Days since the last purchase: the recency-only baseline's score. */
    public double recencyDays(Instant asOf) {
        return days(lastAt, asOf);
    }

    private static double days(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toSeconds() / SECONDS_PER_DAY);
    }
}
