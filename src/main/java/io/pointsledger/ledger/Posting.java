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
     * The fingerprint this release stores with an answer: the legacy one while there is one.
     * Instances of the release before, still running during a rolling deploy, compare stored
     * fingerprints with their own (32 bytes, no version) and would refuse as a reused key a retry
     * whose first attempt this release answered. The release after this one stores the versioned
     * fingerprint, which this release already reads; fields may be added to requests only after
     * that release has run for a key retention (until then the legacy form would change with them).
     */
    byte[] storedFingerprint() {
        return legacyFingerprint != null ? legacyFingerprint : fingerprint;
    }
}
