package io.pointsledger.recommendations;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An item to suggest: {@code score} is how many co-purchases link it to what the member bought,
 * or, for a member with no such link, how many purchases it has overall (popularity).
 */
@Schema(example = """
        {"sku": "SKU-FILTER-PAPER", "score": 42}""")
public record Recommendation(String sku, long score) {
}
