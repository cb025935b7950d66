package io.pointsledger.ledger;

/** A receipt with its HTTP status, and whether it is the stored answer to an earlier request with the same key. */
public record Posted<T>(int status, T receipt, boolean replayed) {
}
