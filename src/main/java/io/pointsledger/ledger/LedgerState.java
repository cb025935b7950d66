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
        java.util.Set<UUID> historyPosted,
        RewardState rewardState,
        Map<UUID, java.util.Set<UUID>> segments) {

    /** The segments named by campaigns in force that admit the member (none when no campaign names one). */
    java.util.Set<UUID> segmentsOf(UUID memberId) {
        return segments.getOrDefault(memberId, java.util.Set.of());
    }

    /**
     * What claims, their cancellations and donations are decided on: the rewards they name and the
     * causes donated to (locked after the accounts, in id order, like campaign budgets), each
     * member's claims of those rewards that count toward a per-member limit, and the claims being
     * cancelled (locked, so that a fulfilment waits for the cancellation or the other way round).
     */
    record RewardState(Map<UUID, RewardRow> rewards, Map<RewardMember, Long> activeClaims, Map<UUID, ClaimRow> claims,
            Map<UUID, CauseRow> causes) {

        static final RewardState NONE = new RewardState(Map.of(), Map.of(), Map.of(), Map.of());
    }

    /** A member and a reward: the key of the per-member limit. */
    record RewardMember(UUID memberId, UUID rewardId) {
    }

    /**
     * A reward as a claim is decided on. {@code stock} null: no limit. {@code eligibleTiers} null:
     * every tier. {@code cancellableUntil}: a member's cancellations close then (null: never).
     */
    record RewardRow(UUID rewardId, String name, String kind, boolean active, long points, Map<Tier, Long> pointsByTier,
            java.util.Set<Tier> eligibleTiers, Long stock, Integer perMemberLimit, OffsetDateTime availableFrom,
            OffsetDateTime availableUntil, OffsetDateTime startsAt, OffsetDateTime cancellableUntil) {

        /** What a member of {@code tier} pays: the tier's own price, or the reward's. */
        long priceFor(Tier tier) {
            return pointsByTier.getOrDefault(tier, points);
        }

        /** Whether a member of {@code tier} may see and claim it. */
        boolean admits(Tier tier) {
            return eligibleTiers == null || eligibleTiers.contains(tier);
        }

        /** Whether it can be claimed at {@code now}: in its window, and for an event, before it starts. */
        boolean openAt(OffsetDateTime now) {
            return (availableFrom == null || !now.isBefore(availableFrom))
                    && (availableUntil == null || now.isBefore(availableUntil))
                    && (startsAt == null || now.isBefore(startsAt));
        }
    }

    /** A claim being cancelled, locked. */
    record ClaimRow(UUID claimId, UUID memberId, UUID rewardId, String partnerId, long points, ClaimState status) {
    }

    /** The lifecycle of a claim, as reward_claims records it. */
    enum ClaimState {
        CLAIMED,
        FULFILLED,
        CANCELLED
    }

    /** A cause donated to, locked: whether it takes donations, and what is left of its matching budget. */
    record CauseRow(UUID causeId, boolean active, int matchRateBasisPoints, long matchBudget, long matched) {
    }

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
