package io.pointsledger.ledger;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The write path's answer: the outcome; for APPLIED and REPLAYED the HTTP status and receipt, for
 * a refusal its details in {@code receipt}; and the account as it stands after the call, which is
 * what the balance cache is given (null when no account was found).
 */
record PostingResult(PostingOutcome outcome, Integer status, JsonObject receipt, Balance account) {

    /** The accounts that applied writes left, for the balance cache; a refusal changed nothing worth caching. */
    static List<Balance> appliedAccounts(List<PostingResult> results) {
        return results.stream()
                .filter(result -> result != null && result.outcome() == PostingOutcome.APPLIED && result.account() != null)
                .map(PostingResult::account)
                .toList();
    }
}
