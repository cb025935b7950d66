package io.pointsledger.ledger;

import java.time.OffsetDateTime;

/**
 * A member's opening balance as the system the program replaces states it: the points, when they
 * expire there (null: as points earned today would), and that system's reference for them.
 * Validated where it is read (an import's row), so it carries no constraints of its own.
 */
public record MigrationRequest(long points, OffsetDateTime expiresAt, String reference, String reason)
        implements RequestFingerprint.Fingerprinted {

    @Override
    public void addFields(RequestFingerprint fingerprint) {
        fingerprint.number("points", points).time("expiresAt", expiresAt).text("reference", reference).text("reason", reason);
    }
}
