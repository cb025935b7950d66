package io.pointsledger.ledger;

import java.util.List;

/** One page of history, newest first; {@code nextCursor} is null on the last page. */
public record TransferPage(List<TransferView> items, String nextCursor) {
}
