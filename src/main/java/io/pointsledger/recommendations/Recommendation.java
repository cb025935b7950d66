package io.pointsledger.recommendations;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An item to suggest. For {@code SIMILAR_ITEMS}, {@code score} is the sum of the item's cosine
 * similarities with the member's recent items (each from 0 to 1: buyers of both ÷ √(buyers of
 * one × buyers of the other)); for {@code POPULAR}, a top-up when too few items are similar, it is
 * the item's number of buyers. Items come best first, similar ones before popular ones.
 */
@Schema(example = """
        {"sku": "SKU-FILTER-PAPER", "score": 0.4183, "basis": "SIMILAR_ITEMS"}""")
public record Recommendation(String sku, double score, RecommendationBasis basis) {
}
