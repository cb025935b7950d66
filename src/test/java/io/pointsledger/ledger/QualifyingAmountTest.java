package io.pointsledger.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * What of an earn's amount counts toward tier qualifying spend: all of it when the earn rule gave
 * the points, at most what explicit points are worth otherwise. Pure arithmetic, no database.
 */
class QualifyingAmountTest {

    /** The default program: 1 point per 100 minor units, BASIC at 1.0 the lowest multiplier. */
    private static long qualifying(long amount, long points) {
        return LedgerRules.qualifyingAmount(amount, points, 100, LedgerRules.lowestPositive(10_000, 15_000, 20_000));
    }

    @Test
    void shouldCountTheWholeAmountOfAnEarnTheRuleComputedAtEveryTier() {
        for (long multiplier : new long[] {10_000, 15_000, 20_000}) {
            for (long amount : new long[] {100, 12_345, 19_999, 10_099, 1_000_000, 9_999_999_999_999L}) {
                long points = amount * multiplier / (100 * 10_000);
                assertEquals(amount, qualifying(amount, points),
                        "amount " + amount + " at multiplier " + multiplier);
            }
        }
    }

    @Test
    void shouldCapTheAmountAtWhatExplicitPointsAreWorth() {
        assertEquals(199, qualifying(9_000_000_000_000L, 1),
                "199 minor units is the most that earns one point at 1 per 100");
        assertEquals(100_099, qualifying(9_000_000_000_000L, 1_000));
        assertEquals(500, qualifying(500, 1_000), "never more than the amount itself");
    }

    @Test
    void shouldUseTheLowestPositiveMultiplierAndStayExactAtTheLimits() {
        assertEquals(5_000, LedgerRules.lowestPositive(5_000, 0, 20_000));
        assertEquals(399, LedgerRules.qualifyingAmount(1_000_000, 1, 100, 5_000), "at 0.5, 399 minor units earn one point");
        assertEquals(0, LedgerRules.qualifyingAmount(1_000_000, 1, 100, LedgerRules.lowestPositive(0, 0, 0)),
                "no rule earns anything");
        assertEquals(10_000_000_000_000L, LedgerRules.qualifyingAmount(10_000_000_000_000L, 1_000_000_000L, 1_000_000, 1),
                "no overflow at the largest points and rate");
    }
}
