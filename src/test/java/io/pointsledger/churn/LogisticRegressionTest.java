package io.pointsledger.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

    /**
     * Labels drawn from a known logistic model, P(1) = σ(2·x₁ − 1·x₂ + 0.5) with x₂'s scale ten
     * times x₁'s: the fit recovers the signs and the ratio of the true weights on the standardised
     * features, and its probabilities are calibrated (their mean is the share of positives).
     */
    @Test
    void shouldRecoverAKnownModelFromItsSamples() {
        Random random = new Random(7);
        int size = 20_000;
        double[][] features = new double[size][];
        int[] labels = new int[size];
        int positives = 0;
        for (int index = 0; index < size; index++) {
            double first = random.nextGaussian();
            double second = 10 * random.nextGaussian();
            features[index] = new double[] {first, second, 4.0};
            double probability = 1 / (1 + Math.exp(-(2 * first - 0.1 * second + 0.5)));
            labels[index] = random.nextDouble() < probability ? 1 : 0;
            positives += labels[index];
        }

        LogisticRegression model = LogisticRegression.fit(features, labels, 0);

        // Standardised, the true weights are 2 × 1 and −0.1 × 10: equal size, opposite signs.
        assertEquals(2.0, model.weights()[0], 0.15);
        assertEquals(-1.0, model.weights()[1], 0.1);
        assertEquals(0.0, model.weights()[2], 1e-12, "a constant feature carries no weight");
        double meanProbability = 0;
        for (double[] row : features) {
            meanProbability += model.probability(row) / size;
        }
        assertEquals((double) positives / size, meanProbability, 0.005);
    }

    @Test
    void shouldShrinkWeightsUnderAPenalty() {
        double[][] features = {{0}, {1}, {2}, {3}, {4}, {5}};
        int[] labels = {0, 0, 1, 0, 1, 1};

        double free = LogisticRegression.fit(features, labels, 0).weights()[0];
        double penalised = LogisticRegression.fit(features, labels, 1).weights()[0];

        assertTrue(free > penalised && penalised > 0, free + " then " + penalised);
    }
}
