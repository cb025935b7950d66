package io.pointsledger.imports;

/** What a file brings in. */
public enum ImportKind {
    /** Members, one a row, enrolled as POST /v1/members would. */
    MEMBERS,
    /** Opening balances from the system the program replaces, one a row: a MIGRATION transfer per member. */
    BALANCES,
    /** Purchases from before the program, one line a row: purchase history for tiers, recommendations and analytics, no points. */
    PURCHASES
}
