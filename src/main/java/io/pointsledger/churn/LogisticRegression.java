package io.pointsledger.churn;

import java.util.Arrays;

/**
 * Binary logistic regression, fitted by full-batch gradient descent on standardised features with
 * an L2 penalty. Small and exact on purpose: the churn features are a handful of numbers per
 * member, the training set fits in memory, and a model is five arrays that can be stored, versioned
 * and explained (a weight per named feature) without an ML library in the native image.
 *
 * @param means   each feature's training mean, subtracted before weighting
 * @param scales  each feature's training standard deviation (1 where it did not vary)
 * @param weights each standardised feature's weight
 * @param bias    the intercept
 */
public record LogisticRegression(double[] means, double[] scales, double[] weights, double bias) {

    /** The learning rate and iterations suit standardised features: the loss stops moving well before. */
    private static final double LEARNING_RATE = 0.5;
    private static final int ITERATIONS = 2_000;

    public LogisticRegression {
        if (means.length != scales.length || means.length != weights.length) {
            throw new IllegalArgumentException("means, scales and weights must have one value per feature");
        }
        means = means.clone();
        scales = scales.clone();
        weights = weights.clone();
    }

    /**
     * Fits a model to {@code features} (one row per example, all of one width) and {@code labels}
     * (1 for the event predicted, 0 otherwise), with penalty {@code l2} on the weights.
     */
    public static LogisticRegression fit(double[][] features, int[] labels, double l2) {
        if (features.length == 0 || features.length != labels.length) {
            throw new IllegalArgumentException("one label per example, and at least one example");
        }
        int width = features[0].length;
        double[] means = new double[width];
        double[] scales = new double[width];
        for (int feature = 0; feature < width; feature++) {
            double sum = 0;
            for (double[] row : features) {
                sum += row[feature];
            }
            means[feature] = sum / features.length;
            double squares = 0;
            for (double[] row : features) {
                squares += (row[feature] - means[feature]) * (row[feature] - means[feature]);
            }
            double deviation = Math.sqrt(squares / features.length);
            scales[feature] = deviation > 1e-12 ? deviation : 1;
        }
        double[][] standardised = new double[features.length][];
        for (int example = 0; example < features.length; example++) {
            standardised[example] = standardise(features[example], means, scales);
        }
        double[] weights = new double[width];
        double bias = 0;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            double[] gradient = new double[width];
            double biasGradient = 0;
            for (int example = 0; example < standardised.length; example++) {
                double error = sigmoid(dot(weights, standardised[example]) + bias) - labels[example];
                for (int feature = 0; feature < width; feature++) {
                    gradient[feature] += error * standardised[example][feature];
                }
                biasGradient += error;
            }
            for (int feature = 0; feature < width; feature++) {
                weights[feature] -= LEARNING_RATE * (gradient[feature] / standardised.length + l2 * weights[feature]);
            }
            bias -= LEARNING_RATE * biasGradient / standardised.length;
        }
        return new LogisticRegression(means, scales, weights, bias);
    }

    /** The probability of the event for one example. */
    public double probability(double[] features) {
        if (features.length != weights.length) {
            throw new IllegalArgumentException("expected " + weights.length + " features, got " + features.length);
        }
        return sigmoid(dot(weights, standardise(features, means, scales)) + bias);
    }

    private static double[] standardise(double[] features, double[] means, double[] scales) {
        double[] standardised = new double[features.length];
        for (int feature = 0; feature < features.length; feature++) {
            standardised[feature] = (features[feature] - means[feature]) / scales[feature];
        }
        return standardised;
    }

    private static double dot(double[] left, double[] right) {
        double sum = 0;
        for (int index = 0; index < left.length; index++) {
            sum += left[index] * right[index];
        }
        return sum;
    }

    private static double sigmoid(double value) {
        return 1 / (1 + Math.exp(-value));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LogisticRegression model && Arrays.equals(means, model.means) && Arrays.equals(scales, model.scales)
                && Arrays.equals(weights, model.weights) && bias == model.bias;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(means) + Arrays.hashCode(scales)) + Arrays.hashCode(weights)) + Double.hashCode(bias);
    }

    @Override
    public String toString() {
        return "LogisticRegression[weights=" + Arrays.toString(weights) + ", bias=" + bias + "]";
    }
}
