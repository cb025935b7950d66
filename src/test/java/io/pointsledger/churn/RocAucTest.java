package io.pointsledger.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RocAucTest {

    @Test
    void shouldBeTheShareOfPositiveNegativePairsRankedRight() {
        // Pairs (positive, negative): (0.35, 0.1) right, (0.35, 0.4) wrong, (0.8, 0.1) right, (0.8, 0.4) right: 3 of 4.
        assertEquals(0.75, RocAuc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}), 1e-12);
    }

    @Test
    void shouldCountATieAsHalf() {
        // Positives 0.5 and 0.9, negatives 0.5 and 0.2: 0.5 + 1 + 1 + 1 of 4 pairs.
        assertEquals(0.875, RocAuc.of(new double[] {0.5, 0.5, 0.2, 0.9}, new int[] {1, 0, 0, 1}), 1e-12);
    }

    @Test
    void shouldBeOneHalfForAConstantScoreAndZeroForAnInvertedOne() {
        assertEquals(0.5, RocAuc.of(new double[] {3, 3, 3, 3}, new int[] {1, 0, 1, 0}), 1e-12);
        assertEquals(0.0, RocAuc.of(new double[] {1, 2, 3, 4}, new int[] {1, 1, 0, 0}), 1e-12);
    }

    @Test
    void shouldRefuseASingleClass() {
        assertThrows(IllegalArgumentException.class, () -> RocAuc.of(new double[] {1, 2}, new int[] {1, 1}));
    }
}
