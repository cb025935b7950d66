package io.pointsledger.ledger;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Everything a decided batch writes, one list per table, in the order the rows are to be written:
 * the apply statement inserts or updates each table once for the whole batch. Lots and accounts
 * are written as they stand after the whole batch (a lot created and spent in the same batch is
 * inserted with what is left of it), so no row is touched twice by one statement.
 */
final class BatchEffects {

    record TransferRow(UUID transferId, TransferKind kind, UUID memberId, long points, long postedDelta, long heldDelta,
            String partnerId, String channel, String orderId, String idempotencyKey, UUID relatedTransferId,
            Long amount, String currency, OffsetDateTime occurredAt, OffsetDateTime recordedAt, String reason,
            String metadata) {
    }

    /** A lot created by {@code sourceTransferId} with {@code credited} points: at most one per transfer. */
    record NewLot(UUID memberId, UUID sourceTransferId, OffsetDateTime expiresAt, long credited) {
    }

    /**
     * A change of a lot by a transfer other than the one that created it (that one is the lot's
     * {@code credited}): an existing lot by id, or the new lot of {@code newLotSource}.
     */
    record Movement(UUID transferId, UUID memberId, Long lotId, UUID newLotSource, long points) {
    }

    record NewHold(UUID holdId, UUID memberId, String partnerId, long points, String orderId, String channel,
            OffsetDateTime expiresAt, OffsetDateTime createdAt) {
    }

    record HoldResolution(UUID holdId, LedgerState.HoldState status, long capturedPoints, OffsetDateTime resolvedAt,
            UUID resolvedBy) {
    }

    record AccountRow(UUID memberId, long posted, long held, long version) {
    }

    record Answer(String partnerId, String idempotencyKey, UUID memberId, byte[] fingerprint, int status, String body) {
    }

    record Event(UUID eventId, UUID memberId, String eventType, String payload) {
    }

    record Audit(String actor, UUID apiKeyId, String action, String target, String details) {
    }

    /** A member's first exposure to a campaign run as an A/B test, and the bonus points it granted the member. */
    record Exposure(String variant, OffsetDateTime exposedAt, long points) {
    }

    /** A claim made: its row, keyed like the REWARD_CLAIM transfer that paid for it. */
    record NewClaim(UUID claimId, UUID memberId, UUID rewardId, String partnerId, long points, OffsetDateTime claimedAt) {
    }

    record ClaimCancellation(UUID claimId, UUID memberId, OffsetDateTime cancelledAt, UUID transferId) {
    }

    /** A reward's change by the batch: units of stock (negative: taken) and claims counted. */
    record StockChange(long stock, long claimed) {
        StockChange plus(StockChange other) {
            return new StockChange(stock + other.stock, claimed + other.claimed);
        }
    }

    /** What the batch credited a cause: members' points and the program's match. */
    record CauseCredit(long donated, long matched) {
        CauseCredit plus(CauseCredit other) {
            return new CauseCredit(donated + other.donated, matched + other.matched);
        }
    }

    /** The cause's side of a donation: {@code kind} DONATION (the member's points) or MATCH (the program's). */
    record CauseEntry(UUID transferId, UUID memberId, String kind, UUID causeId, long points, OffsetDateTime occurredAt) {
    }

    final List<TransferRow> transfers = new ArrayList<>();
    /** New lots with their remaining points after the batch. */
    final Map<NewLot, Long> newLots = new LinkedHashMap<>();
    /** Existing lots by id, with the net change the batch makes to each. */
    final Map<Long, Long> lotChanges = new LinkedHashMap<>();
    final List<Movement> movements = new ArrayList<>();
    final List<NewHold> newHolds = new ArrayList<>();
    final List<HoldResolution> resolvedHolds = new ArrayList<>();
    /** Each account once, as it stands after the batch. */
    final Map<UUID, AccountRow> accounts = new LinkedHashMap<>();
    final List<Answer> answers = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final List<Audit> audits = new ArrayList<>();
    /** Per budgeted campaign, the points the batch granted from its budget. */
    final Map<UUID, Long> budgetsSpent = new LinkedHashMap<>();
    /** Per member and capped campaign, the points the batch granted the member. */
    final Map<LedgerState.CampaignMember, Long> memberGrants = new LinkedHashMap<>();
    /** The occasions the batch's campaigns rewarded, each once. */
    final Set<LedgerState.Occasion> occasions = new LinkedHashSet<>();
    /** Per member and A/B-tested campaign, the batch's exposure. */
    final Map<LedgerState.CampaignMember, Exposure> exposures = new LinkedHashMap<>();

    final List<NewClaim> newClaims = new ArrayList<>();
    final List<ClaimCancellation> cancelledClaims = new ArrayList<>();
    /** Per reward, the batch's net change. */
    final Map<UUID, StockChange> stockChanges = new LinkedHashMap<>();
    /** Per cause, what the batch credited it. */
    final Map<UUID, CauseCredit> causeCredits = new LinkedHashMap<>();
    final List<CauseEntry> causeEntries = new ArrayList<>();

    boolean changesRewardsOrCauses() {
        return !newClaims.isEmpty() || !cancelledClaims.isEmpty() || !causeEntries.isEmpty();
    }

    boolean isEmpty() {
        return transfers.isEmpty();
    }
}
