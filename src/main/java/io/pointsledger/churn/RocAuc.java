package io.pointsledger.churn;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The area under the ROC curve: the probability that a random positive example scores above a
 * random negative one, ties counting one half. Computed from ranks (Mann-Whitney U), ties given
 * their average rank, in O(n log n).
 */
public final class RocAuc {

    private RocAuc() {
    }

    /** {@code labels[i]} is 1 for a positive example; fails unless both classes are present. */
    public static double of(double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("one label per score");
        }
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, index -> index);
        Arrays.sort(order, Comparator.comparingDouble(index -> scores[index]));
        double positiveRanks = 0;
        long positives = 0;
        int start = 0;
        while (start < order.length) {
            int end = start;
            while (end + 1 < order.length && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double averageRank = (start + end) / 2.0 + 1;
            for (int position = start; position <= end; position++) {
                if (labels[order[position]] == 1) {
                    positiveRanks += averageRank;
                    positives++;
                }
            }
            start = end + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("AUC needs positive and negative examples");
        }
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
