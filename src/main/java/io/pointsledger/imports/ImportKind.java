package io.pointsledger.imports;

/** What a file brings in. */
public enum ImportKind {
    /** Members, one a row, enrolled as POST /v1/members would. */
    MEMBERS
}
