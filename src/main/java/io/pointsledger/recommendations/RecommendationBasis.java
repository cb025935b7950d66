package io.pointsledger.recommendations;

/** Why an item is suggested, which says what its score measures. */
public enum RecommendationBasis {
    /** Similar to the member's recent items: the score is the sum of its cosine similarities with them. */
    SIMILAR_ITEMS,
    /** A top-up from the most bought items: the score is its number of buyers. */
    POPULAR
}
