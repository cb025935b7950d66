package io.pointsledger.segments;

import io.pointsledger.platform.ApiLimits;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a segment rule can ask of a member, by the name a rule uses (any case), and where each value
 * is read: {@code m} the member, {@code acc} their account, {@code a} their measured attributes,
 * {@code cs} their churn score, {@code run} the newest finished attribute run (its cutoffs).
 */
enum SegmentAttribute {

    /** Recency score 1–5: 5 for the fifth of the active base that bought most recently. */
    R("R", ValueKind.SCORE, "CASE WHEN a.frequency > 0 THEN segment_quintile(-a.recency_days, run.recency_cutoffs) END"),
    /** Frequency score 1–5. */
    F("F", ValueKind.SCORE, "CASE WHEN a.frequency > 0 THEN segment_quintile(a.frequency, run.frequency_cutoffs) END"),
    /** Monetary score 1–5. */
    M("M", ValueKind.SCORE, "CASE WHEN a.frequency > 0 THEN segment_quintile(a.monetary, run.monetary_cutoffs) END"),
    RECENCY("recency", ValueKind.COUNT, "a.recency_days"),
    FREQUENCY("frequency", ValueKind.COUNT, "a.frequency"),
    MONETARY("monetary", ValueKind.AMOUNT, "a.monetary"),
    AGE("age", ValueKind.AGE, "a.age"),
    /** Compared without regard to case: members type their region themselves. */
    REGION("region", ValueKind.TEXT, "lower(m.region)"),
    TIER("tier", ValueKind.TIER, "acc.tier"),
    CHURN_RISK("churnRisk", ValueKind.PROBABILITY, "cs.risk");

    private static final Map<String, SegmentAttribute> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toMap(attribute -> attribute.ruleName.toLowerCase(Locale.ROOT), Function.identity()));

    final String ruleName;
    final ValueKind kind;
    final String column;

    SegmentAttribute(String ruleName, ValueKind kind, String column) {
        this.ruleName = ruleName;
        this.kind = kind;
        this.column = column;
    }

    static Optional<SegmentAttribute> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    static String names() {
        return Arrays.stream(values()).map(attribute -> attribute.ruleName).collect(Collectors.joining(", "));
    }

    /** What values an attribute takes: which comparisons it allows and the range of a value. */
    enum ValueKind {
        SCORE(1, 5),
        COUNT(0, Integer.MAX_VALUE),
        AMOUNT(0, ApiLimits.AMOUNT_MINOR_UNITS_MAX),
        AGE(0, 150),
        PROBABILITY(0, 1),
        TEXT(0, 0),
        TIER(0, 0);

        final long minimum;
        final long maximum;

        ValueKind(long minimum, long maximum) {
            this.minimum = minimum;
            this.maximum = maximum;
        }

        boolean ordered() {
            return this != TEXT && this != TIER;
        }

        boolean whole() {
            return ordered() && this != PROBABILITY;
        }
    }
}
