package io.pointsledger.recommendations;

/**
 * An item to suggest: {@code score} is how many co-purchases link it to what the member bought,
 * or, for a member with no such link, how many purchases it has overall (popularity).
 */
public record Recommendation(String sku, long score) {
}
