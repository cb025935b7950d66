package io.pointsledger.ledger;

/** A receipt and whether it is the stored answer to an earlier request with the same key. */
public record Posted(TransferReceipt receipt, boolean replayed) {
}
