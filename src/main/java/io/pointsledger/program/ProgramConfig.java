package io.pointsledger.program;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/**
 * The loyalty program's rules. Multipliers are in basis points (10 000 = 1.0) so that earning is
 * integer arithmetic from end to end.
 */
@ConfigMapping(prefix = "points-ledger.program")
public interface ProgramConfig {

    /** The ISO 4217 currency purchases are accepted in; earn rules are per minor unit of it. */
    @WithDefault("USD")
    @Pattern(regexp = "^[A-Z]{3}$")
    String currency();

    /** Minor units of purchase per point before the tier multiplier (100: one point per dollar). */
    @WithDefault("100")
    @Min(1)
    @Max(1_000_000)
    long minorUnitsPerPoint();

    /**
     * What a thousand points are worth, in minor units of {@link #currency()} (1000: a point is
     * worth one minor unit): the value statements and reports put on points, such as what a
     * cause is handed over for its donations. At most a thousand minor units a point, so that the
     * value of 9 x 10<sup>15</sup> points still fits a long.
     */
    @WithDefault("1000")
    @Min(1)
    @Max(1_000_000)
    long pointValuePerThousandPoints();

    /** Earn multipliers per tier. */
    Multipliers multiplierBasisPoints();

    /** Earned points expire this many months after the purchase, at the end of that day. */
    @WithDefault("12")
    @Min(1)
    @Max(120)
    int expiryMonths();

    /** The program's time zone: where "the end of that day" is. */
    @WithDefault("UTC")
    java.time.ZoneId timeZone();

    /** Days ahead the balance lists expiring points for. */
    @WithDefault("90")
    @Min(1)
    @Max(366)
    int expiringWindowDays();

    /** What reversing an earn whose points were already spent does (see ReversalPolicy). */
    @WithDefault("NEGATIVE_BALANCE")
    ReversalPolicy reversalPolicy();

    /**
     * Reversing an earn (goods returned) after its points were spent: {@link #NEGATIVE_BALANCE}
     * takes them all back and the member owes the difference, which later earns repay first;
     * {@link #CLAMP_TO_ZERO} takes back only what is available and forgives the rest.
     */
    enum ReversalPolicy {
        NEGATIVE_BALANCE,
        CLAMP_TO_ZERO
    }

    interface Multipliers {
        /** Bounded so that amount x multiplier stays far from overflowing a long. */
        long MAX = 100_000;

        @WithDefault("10000")
        @Min(0)
        @Max(MAX)
        long basic();

        @WithDefault("15000")
        @Min(0)
        @Max(MAX)
        long silver();

        @WithDefault("20000")
        @Min(0)
        @Max(MAX)
        long gold();
    }
}
