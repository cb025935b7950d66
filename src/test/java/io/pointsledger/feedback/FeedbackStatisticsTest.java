package io.pointsledger.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The intervals against values worked out by hand from their formulas. */
class FeedbackStatisticsTest {

    private static final double EPSILON = 1e-4;

    /** Wilson, 8 of 10: centre (0.8 + 3.8415 / 20) / 1.38415 = 0.7167, half 1.96 √(0.016 + 0.0096) / 1.38415 = 0.2266. */
    @Test
    void shouldGiveWilsonsIntervalOfAShare() {
        Estimate estimate = FeedbackStatistics.wilson(8, 10);

        assertEquals(0.8, estimate.value(), EPSILON);
        assertEquals(0.4902, estimate.low(), EPSILON);
        assertEquals(0.9433, estimate.high(), EPSILON);
        assertEquals(0.0, FeedbackStatistics.wilson(0, 5).low(), EPSILON);
        assertEquals(1.0, FeedbackStatistics.wilson(5, 5).high(), EPSILON);
        assertNull(FeedbackStatistics.wilson(0, 0));
    }

    /** NPS, 6 promoters and 2 detractors of 10: 40, ± 100 × 1.96 √((0.8 − 0.16) / 10) = ± 49.58. */
    @Test
    void shouldGiveTheNetPromoterScoreWithItsInterval() {
        Estimate estimate = FeedbackStatistics.nps(6, 2, 10);

        assertEquals(40.0, estimate.value(), EPSILON);
        assertEquals(40 - 49.5836, estimate.low(), 1e-3);
        assertEquals(40 + 49.5836, estimate.high(), 1e-3);
        assertEquals(100.0, FeedbackStatistics.nps(3, 0, 3).high(), EPSILON);
        assertNull(FeedbackStatistics.nps(0, 0, 0));
    }
}
