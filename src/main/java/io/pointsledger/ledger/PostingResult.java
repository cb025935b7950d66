package io.pointsledger.ledger;

import io.vertx.core.json.JsonObject;

/**
 * The write path's answer: the outcome, the receipt (or refusal details) and the account as it
 * stands after the call, which is what the balance cache is given. {@code account} is null when
 * the member does not exist.
 */
record PostingResult(PostingOutcome outcome, JsonObject receipt, Balance account) {
}
