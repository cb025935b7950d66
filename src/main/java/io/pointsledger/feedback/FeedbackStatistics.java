package io.pointsledger.feedback;

/**
 * The intervals of feedback reports: Wilson's score interval for a share (CSAT, a response rate),
 * which stays inside [0, 1] and is sound for small samples and shares near 0 or 1, where the
 * normal approximation is not; and for NPS, the share of promoters less the share of detractors,
 * the normal approximation of a difference of two shares of one multinomial sample.
 */
final class FeedbackStatistics {

    /** The standard normal quantile for 95 % two-sided. */
    static final double Z_95 = 1.959963984540054;

    private FeedbackStatistics() {
    }

    /** The share {@code successes / n} with its Wilson 95 % interval; null for no sample. */
    static Estimate wilson(long successes, long n) {
        if (n == 0) {
            return null;
        }
        double share = (double) successes / n;
        double z2 = Z_95 * Z_95;
        double centre = (share + z2 / (2.0 * n)) / (1 + z2 / n);
        double half = Z_95 * Math.sqrt(share * (1 - share) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new Estimate(share, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /**
     * NPS in points from -100 to 100: 100 × (promoters − detractors) / n, with 95 % bounds from the
     * variance of the difference, (p + d − (p − d)²) / n; null for no sample.
     */
    static Estimate nps(long promoters, long detractors, long n) {
        if (n == 0) {
            return null;
        }
        double p = (double) promoters / n;
        double d = (double) detractors / n;
        double score = p - d;
        double half = Z_95 * Math.sqrt(Math.max(0, p + d - score * score) / n);
        return new Estimate(100 * score, Math.max(-100, 100 * (score - half)), Math.min(100, 100 * (score + half)));
    }
}
