package io.pointsledger.ledger;

import io.pointsledger.program.ProgramConfig;
import java.math.BigInteger;
import java.util.stream.LongStream;

/**
 * What the ledger's consumers count of an earn: the part of its amount that qualifies toward a
 * tier. The earn itself is decided by {@link WriteDecider}, whose earn formula this bounds.
 */
final class LedgerRules {

    /** A multiplier of 10 000 basis points is 1.0. */
    static final long BASIS_POINTS_PER_UNIT = 10_000;

    private LedgerRules() {
    }

    /**
     * The part of an earn's purchase amount that counts toward tier qualifying spend: the amount,
     * but no more than the largest amount that earns the transfer's points under the earn rule at
     * the program's lowest multiplier. An earn the rule computed counts in full, whatever the
     * member's tier; explicit points count only for what they would be worth, so that a huge
     * amount with one point cannot buy a tier. Without any positive multiplier nothing counts.
     */
    static long qualifyingAmount(ProgramConfig program, long amount, long points) {
        ProgramConfig.Multipliers multipliers = program.multiplierBasisPoints();
        return qualifyingAmount(amount, points, program.minorUnitsPerPoint(),
                lowestPositive(multipliers.basic(), multipliers.silver(), multipliers.gold()));
    }

    /** {@link #qualifyingAmount(ProgramConfig, long, long)} with the program's numbers given. */
    static long qualifyingAmount(long amount, long points, long minorUnitsPerPoint, long lowestMultiplierBasisPoints) {
        if (lowestMultiplierBasisPoints <= 0) {
            return 0;
        }
        // floor(a x m / (u x 10 000)) <= points exactly when a < (points + 1) x u x 10 000 / m.
        BigInteger bound = BigInteger.valueOf(points).add(BigInteger.ONE)
                .multiply(BigInteger.valueOf(minorUnitsPerPoint))
                .multiply(BigInteger.valueOf(BASIS_POINTS_PER_UNIT));
        BigInteger[] quotient = bound.divideAndRemainder(BigInteger.valueOf(lowestMultiplierBasisPoints));
        BigInteger largest = quotient[1].signum() == 0 ? quotient[0].subtract(BigInteger.ONE) : quotient[0];
        return largest.min(BigInteger.valueOf(amount)).max(BigInteger.ZERO).longValueExact();
    }

    /** The lowest of {@code multipliers} above zero, or 0 when none is: a tier at 0 earns nothing by the rule. */
    static long lowestPositive(long... multipliers) {
        return LongStream.of(multipliers).filter(multiplier -> multiplier > 0).min().orElse(0);
    }
}
