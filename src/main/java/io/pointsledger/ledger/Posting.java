package io.pointsledger.ledger;

import java.util.UUID;

/**
 * One ledger write as the write path takes it: who asks (the partner, and the key it presented,
 * for the audit), under which idempotency key, what kind, on which member (earn, redeem, hold,
 * adjustment) or which hold or transfer (capture, void, reversal), with the request's fields.
 * {@code fingerprint} identifies the request so that a retry can be told from a different
 * request reusing the key ({@link RequestFingerprint}); {@code legacyFingerprint} is the same
 * request as the release before fingerprinted it, for the answers that release stored (null for
 * jobs; to be removed in the release after this one).
 */
record Posting(
        String partnerId,
        boolean seesAllPartners,
        UUID apiKeyId,
        String idempotencyKey,
        byte[] fingerprint,
        byte[] legacyFingerprint,
        TransferKind kind,
        UUID memberId,
        UUID targetId,
        PostingFields fields) {

    /**
     * The fingerprint this release stores with an answer: the versioned one. The release before
     * stored the legacy form and already read this one, so instances of both answer each other's
     * retries during a rolling deploy. Legacy answers are still read ({@link
     * RequestFingerprint#sameRequest}) until a key retention has passed since this release;
     * fields may be added to requests only from then on, in the release that removes the legacy form.
     */
    byte[] storedFingerprint() {
        return fingerprint;
    }
}
