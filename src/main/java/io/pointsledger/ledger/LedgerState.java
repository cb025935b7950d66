package io.pointsledger.ledger;

import io.pointsledger.tiers.Tier;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a batch's writes are decided on, read inside the batch's transaction after its accounts
 * were locked (so every row here is the latest committed version): the accounts, the answers
 * already stored under the batch's idempotency keys, the holds and transfers acted on, and the
 * point lots the writes may spend or restore; the budgets of the campaigns its earns may meet
 * (locked after the accounts), what its members were granted of the campaigns that cap them, the
 * occasions campaigns already rewarded them for, and which of them bought before; which of the
 * members a MIGRATION or an earn of a past purchase names has an opening balance already, and which
 * had past purchases' points posted.
 */
record LedgerState(
        Map<UUID, Account> accounts,
        Map<AnswerKey, StoredAnswer> answers,
        Map<UUID, HoldRow> holds,
        Map<UUID, Original> originals,
        List<LotRow> lots,
        List<Restorable> restorable,
        LedgerWriteRepository.BonusState bonuses,
        java.util.Set<UUID> migrated,
        java.util.Set<UUID> historyPosted) {

    /** A member and a campaign that caps what one member is granted. */
    record CampaignMember(UUID memberId, UUID campaignId) {
    }

    /** A campaign rewarded the member for the occasion {@code key} (it grants once per key). */
    record Occasion(UUID memberId, UUID campaignId, String key) {
    }

    /** A member's account row, locked. */
    record Account(UUID memberId, Tier tier, long posted, long held, long version) {
    }

    /**
     * An idempotency key names one request per partner and member: the member is part of the key
     * so that the answer lives with the member's rows when they are split across databases.
     */
    record AnswerKey(String partnerId, String idempotencyKey, UUID memberId) {
    }

    /** The answer given to the first request under a key, replayed to its retries. */
    record StoredAnswer(byte[] fingerprint, int status, String body) {
    }

    record HoldRow(UUID holdId, UUID memberId, String partnerId, long points, HoldState status, long capturedPoints,
            String orderId, String channel, OffsetDateTime expiresAt) {
    }

    /** The lifecycle of a hold, as the holds table records it. */
    enum HoldState {
        PENDING,
        CAPTURED,
        VOIDED,
        EXPIRED
    }

    /** A transfer a reversal names, with the points reversals of it already took. */
    record Original(UUID transferId, TransferKind kind, UUID memberId, String partnerId, long points, String channel,
            String orderId, long reversed) {
    }

    /** A lot with points left. */
    record LotRow(long lotId, UUID memberId, UUID sourceTransferId, OffsetDateTime expiresAt, long remaining) {
    }

    /**
     * Points a redemption (or capture) spent from a lot and that no reversal gave back yet: what
     * a refund restores there, keeping the lot's date.
     */
    record Restorable(UUID originalId, long lotId, UUID memberId, UUID sourceTransferId, OffsetDateTime expiresAt,
            long remaining, long restorable) {
    }

    /** Who a hold or transfer belongs to, found before any lock, to know whose account to lock. */
    record Target(UUID targetId, TransferKind kind, UUID memberId, String partnerId) {
    }
}
