package io.pointsledger.campaigns;

/**
 * The 95 % intervals of an A/B report. Spend per member is skewed (most members spend little, a
 * few much), and its spread differs between variants, so the difference of two means takes
 * Welch's unequal-variance standard error, sqrt(s1²/n1 + s2²/n2), and, by the central limit
 * theorem, the normal quantile 1.96: good once each group has {@value #MEMBERS_FOR_APPROXIMATION}
 * members or more; below that the verdict stays NOT_YET_SIGNIFICANT whatever the interval. A
 * difference of two rates (members who redeemed) is the same interval with p(1-p) as the variance.
 */
final class ExperimentStatistics {

    static final String METHOD = "Welch's unequal-variance interval, normal approximation (two-sided 95 %), at least "
            + ExperimentStatistics.MEMBERS_FOR_APPROXIMATION + " members per group";
    static final int MEMBERS_FOR_APPROXIMATION = 30;
    private static final double Z_95 = 1.959963984540054;

    private ExperimentStatistics() {
    }

    /** Members, mean and sample variance of one group. */
    record Group(long members, double mean, double variance) {
    }

    static ExperimentReport.Uplift uplift(Group variant, Group control) {
        double difference = variant.mean() - control.mean();
        double standardError = Math.sqrt(perMember(variant) + perMember(control));
        double low = difference - Z_95 * standardError;
        double high = difference + Z_95 * standardError;
        boolean enough = variant.members() >= MEMBERS_FOR_APPROXIMATION && control.members() >= MEMBERS_FOR_APPROXIMATION;
        boolean excludesZero = low > 0 || high < 0;
        return new ExperimentReport.Uplift(difference, low, high, enough && excludesZero
                ? ExperimentReport.Verdict.SIGNIFICANT : ExperimentReport.Verdict.NOT_YET_SIGNIFICANT);
    }

    /** A rate as a group: its mean is the rate, its variance p(1-p). */
    static Group rate(long members, long successes) {
        double rate = members == 0 ? 0 : (double) successes / members;
        return new Group(members, rate, rate * (1 - rate));
    }

    private static double perMember(Group group) {
        return group.members() == 0 ? 0 : group.variance() / group.members();
    }
}
