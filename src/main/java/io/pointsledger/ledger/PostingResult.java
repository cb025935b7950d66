package io.pointsledger.ledger;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The write path's answer: the outcome; for APPLIED and REPLAYED the HTTP status and the receipt
 * as JSON text (as stored for retries), for a refusal its details as JSON text; and the account as
 * it stands after the call, which is what the balance cache is given (null when none was found).
 */
record PostingResult(PostingOutcome outcome, Integer status, String body, Balance account) {

    static PostingResult refused(PostingOutcome outcome, JsonObject details) {
        return new PostingResult(outcome, null, details == null ? null : details.encode(), null);
    }

    /** The body parsed: the receipt, or a refusal's details. */
    JsonObject receipt() {
        return body == null ? null : new JsonObject(body);
    }

    /** The accounts that applied writes left, for the balance cache; a refusal changed nothing worth caching. */
    static List<Balance> appliedAccounts(List<PostingResult> results) {
        return results.stream()
                .filter(result -> result != null && result.outcome() == PostingOutcome.APPLIED && result.account() != null)
                .map(PostingResult::account)
                .toList();
    }
}
