package io.pointsledger.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ApiLimits;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.LimitsConfig;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.Period;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.program.ProgramConfig;
import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ledger: every write (earn, redeem, hold, capture, void, reversal, adjustment) takes the same
 * path: validate, fingerprint, one group-committed batch of the {@link LedgerWriter} (a batch of
 * one with batching off), then the balance cache after commit, not waited for.
 * Also balances, history, transactions, settlement and reconciliation.
 */
@ApplicationScoped
public class LedgerService {

    private static final String HISTORY_CURSOR = "transfers";
    /** The partner id of the program's own writes: the jobs' expiries. */
    private static final String OPERATOR = "operator";
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(LedgerService.class);
    /** The kinds the release before knew: only their answers may be stored in its legacy form. */
    private static final java.util.Set<TransferKind> KINDS_WITH_LEGACY_ANSWERS = java.util.EnumSet.of(TransferKind.EARN,
            TransferKind.REDEEM, TransferKind.HOLD, TransferKind.CAPTURE, TransferKind.VOID, TransferKind.HOLD_EXPIRED,
            TransferKind.REVERSAL, TransferKind.ADJUSTMENT, TransferKind.EXPIRY, TransferKind.MIGRATION);

    private final LedgerRepository repository;
    private final BalanceCache cache;
    private final ObjectMapper mapper;
    private final LimitsConfig limits;
    private final ProgramConfig program;
    private final LedgerWriter writer;
    private final Clock clock;
    private final WriteBatcher batcher;
    private final BatchingConfig batching;

    private final BonusRules bonusRules;

    LedgerService(LedgerRepository repository, BalanceCache cache, ObjectMapper mapper, LimitsConfig limits,
            ProgramConfig program, Clock clock, WriteBatcher batcher, BatchingConfig batching, LedgerWriter writer,
            BonusRules bonusRules) {
        this.batcher = batcher;
        this.bonusRules = bonusRules;
        this.batching = batching;
        this.repository = repository;
        this.cache = cache;
        this.mapper = mapper;
        this.limits = limits;
        this.program = program;
        this.writer = writer;
        this.clock = clock;
    }

    /**
     * Awards points for a purchase; they expire per the program (12 months by default).
     * Fails with MEMBER_NOT_FOUND, CURRENCY_NOT_ACCEPTED, NO_POINTS_EARNED, VALIDATION_FAILED
     * (occurredAt out of range), IDEMPOTENCY_KEY_REQUIRED or IDEMPOTENCY_KEY_REUSED.
     */
    public Uni<Posted<TransferReceipt>> earn(Caller caller, UUID memberId, String idempotencyKey, EarnRequest request) {
        if (!bonusRules.ready()) {
            throw new ProblemException(ErrorCode.SERVICE_UNAVAILABLE, "This instance has not loaded the campaigns in force "
                    + "yet; retry after the Retry-After seconds with the same Idempotency-Key");
        }
        if (!program.currency().equals(request.amount().currency())) {
            throw new ProblemException(ErrorCode.CURRENCY_NOT_ACCEPTED, "amount.currency: this program earns on " + program.currency());
        }
        requirePlausibleOccurredAt(request.occurredAt());
        Instant earnedAt = request.occurredAt() == null ? clock.instant() : request.occurredAt().toInstant();
        PostingFields fields = PostingFields.earn(request.points(), request.amount().value(), request.amount().currency(),
                request.channel().name(), request.orderId(), request.occurredAt(), request.itemsOrEmpty(), lotExpiry(earnedAt));
        return post(caller, idempotencyKey, TransferKind.EARN, memberId, null, request, fields, TransferReceipt.class);
    }

    /**
     * Spends points, soonest-expiring first; never takes available points below zero, however
     * many redeems and holds race. Fails with MEMBER_NOT_FOUND, INSUFFICIENT_POINTS,
     * IDEMPOTENCY_KEY_REQUIRED or IDEMPOTENCY_KEY_REUSED.
     */
    public Uni<Posted<TransferReceipt>> redeem(Caller caller, UUID memberId, String idempotencyKey, RedeemRequest request) {
        PostingFields fields = PostingFields.redeem(request.points(), request.channel().name(), request.orderId());
        return post(caller, idempotencyKey, TransferKind.REDEEM, memberId, null, request, fields, TransferReceipt.class);
    }

    /**
     * Reverses an earn (goods returned: points taken back per the reversal policy) or a redeem or
     * capture (refund: points given back with the expiry dates of the lots they were spent from).
     * Fails with TRANSFER_NOT_FOUND (also for another partner's transfer), TRANSFER_NOT_REVERSIBLE,
     * REVERSAL_EXCEEDS_ORIGINAL, IDEMPOTENCY_KEY_REQUIRED or IDEMPOTENCY_KEY_REUSED.
     */
    public Uni<Posted<TransferReceipt>> reverse(Caller caller, UUID transferId, String idempotencyKey, ReverseRequest request) {
        PostingFields fields = PostingFields.reversal(request.points(), request.reason(), lotExpiry(clock.instant()));
        return post(caller, idempotencyKey, TransferKind.REVERSAL, null, transferId, request, fields, TransferReceipt.class);
    }

    /**
     * An operator's correction, audited. A positive adjustment adds a lot expiring per the program;
     * a negative one spends soonest-expiring points and cannot overdraw unless {@code allowNegative}.
     * Fails with MEMBER_NOT_FOUND, INSUFFICIENT_POINTS, IDEMPOTENCY_KEY_REQUIRED or IDEMPOTENCY_KEY_REUSED.
     */
    public Uni<Posted<TransferReceipt>> adjust(Caller caller, UUID memberId, String idempotencyKey, AdjustmentRequest request) {
        PostingFields fields = PostingFields.adjustment(request.points(), request.reason(),
                Boolean.TRUE.equals(request.allowNegative()), lotExpiry(clock.instant()));
        return post(caller, idempotencyKey, TransferKind.ADJUSTMENT, memberId, null, request, fields, TransferReceipt.class);
    }

    /**
     * A member's opening balance from the system the program replaces, as one MIGRATION transfer:
     * its lot expires when the old system said, or as points earned today would. At most one per
     * member, whatever the key, and none for a member whose past purchases earned their points
     * (an import that posted them), decided under the member's lock. Fails with MEMBER_NOT_FOUND,
     * MEMBER_ALREADY_MIGRATED or IDEMPOTENCY_KEY_REUSED.
     */
    public Uni<Posted<TransferReceipt>> migrate(Caller caller, UUID memberId, String idempotencyKey, MigrationRequest request) {
        OffsetDateTime expiresAt = request.expiresAt() != null ? request.expiresAt() : lotExpiry(clock.instant());
        PostingFields fields = PostingFields.migration(request.points(), request.reference(), request.reason(), expiresAt);
        return post(caller, idempotencyKey, TransferKind.MIGRATION, memberId, null, request, fields, TransferReceipt.class);
    }

    /**
     * Points for a purchase made before the program, as {@link #historicalPoints} and
     * {@link #historicalLotExpiry} decide them: no campaign bonus (campaigns reward purchases made
     * while they run) and no bound on how long ago, booked to the operator under the purchase's own
     * key ({@link HistoricalEarn#key}). Decided under the member's lock: refused for a member with
     * an opening balance, which holds the points of their past already. Fails with
     * MEMBER_NOT_FOUND, MEMBER_ALREADY_MIGRATED or IDEMPOTENCY_KEY_REUSED.
     */
    public Uni<Posted<TransferReceipt>> earnFromHistory(UUID memberId, UUID purchaseId, HistoricalEarn request) {
        String idempotencyKey = HistoricalEarn.key(purchaseId);
        PostingFields fields = PostingFields.earn(request.points(), request.amount(), program.currency(), request.channel(),
                request.orderId(), request.occurredAt(), request.items(), historicalLotExpiry(request.occurredAt()));
        return post(Caller.OPERATOR, idempotencyKey, TransferKind.EARN, memberId, null, request, fields, TransferReceipt.class);
    }

    /**
     * The operator's transfers written under these keys (each list: member id, key), whenever
     * written: the transfer keeps its key after the key's stored answer is purged. For an import
     * that resumes long after it stopped, to find what it posted before.
     */
    public Uni<Map<List<Object>, UUID>> operatorTransfersWrittenUnder(List<UUID> memberIds, List<String> keys) {
        return memberIds.isEmpty() ? Uni.createFrom().item(Map.of()) : repository.writtenUnder(memberIds, keys, OPERATOR);
    }

    /** What a purchase of {@code amount} earns by the program's rule at the base tier: the member's tier then was another system's. */
    public long historicalPoints(long amount) {
        return WriteDecider.Rules.of(program).pointsFor(amount, Tier.BASIC);
    }

    /** When points earned by a purchase at {@code occurredAt} expire: dated from the purchase, by the program's rule. */
    public OffsetDateTime historicalLotExpiry(OffsetDateTime occurredAt) {
        return lotExpiry(occurredAt.toInstant());
    }

    /** A member's opening balance as written: its points, and the key it was written under (null without one). */
    public record Migration(long points, String idempotencyKey) {
    }

    /** The opening balance of each of these members that has one. */
    public Uni<Map<UUID, Migration>> migrations(List<UUID> memberIds) {
        return memberIds.isEmpty() ? Uni.createFrom().item(Map.of()) : repository.migrations(memberIds);
    }

    /**
     * The one write path for every kind: {@code memberId} names the account for earn, redeem,
     * hold and adjustment; {@code targetId} the hold (capture, void) or transfer (reversal) acted on.
     * {@code request} is the validated body, fingerprinted; {@code fields} is what the write decides on.
     */
    public <T> Uni<Posted<T>> post(Caller caller, String idempotencyKey, TransferKind kind, UUID memberId, UUID targetId,
            RequestFingerprint.Fingerprinted request, PostingFields fields, Class<T> receiptType) {
        requireIdempotencyKey(idempotencyKey);
        UUID subject = memberId != null ? memberId : targetId;
        // The release before fingerprinted a void's missing body as an empty JSON object.
        Object legacyForm = request == RequestFingerprint.NO_FIELDS ? new JsonObject() : request;
        byte[] legacyFingerprint = KINDS_WITH_LEGACY_ANSWERS.contains(kind)
                ? RequestFingerprint.legacy(mapper, kind, subject, legacyForm) : null;
        Posting posting = new Posting(caller.partnerId(), caller.seesAllPartners(), caller.apiKeyId(), idempotencyKey,
                RequestFingerprint.of(kind, subject, request), legacyFingerprint, kind, memberId, targetId, fields);
        return write(posting)
                .flatMap(result -> settle(posting, result, receiptType));
    }

    /**
     * Every kind is group-committed when batching is on; each write still applies in its
     * member's arrival order. The writer sends the balances to the cache after commit.
     */
    private Uni<PostingResult> write(Posting posting) {
        if (batching.enabled()) {
            return batcher.submit(new WriteBatcher.Request(posting, limits.idempotencyKeyRetention()));
        }
        return writer.write(List.of(posting), limits.idempotencyKeyRetention(), now())
                .map(results -> results.get(0));
    }

    /** The member's balance: Redis first, PostgreSQL on a miss (then cached). Fails with MEMBER_NOT_FOUND. */
    public Uni<Balance> balance(UUID memberId) {
        return cache.find(memberId).onItem().ifNull().switchTo(() -> repository
                .account(memberId, now(), program.expiringWindowDays(), program.timeZone().getId())
                .onItem().ifNull().failWith(() -> memberNotFound(memberId))
                .call(cache::store));
    }

    /**
     * Transfers newest first: all of them for an administrator, the caller's own for a partner.
     * Fails with MEMBER_NOT_FOUND or VALIDATION_FAILED (cursor, limit).
     */
    public Uni<TransferPage> history(Caller caller, UUID memberId, String limit, String cursor) {
        int pageSize = Paging.pageSize(limit, limits.historyPageSizeDefault(), ApiLimits.HISTORY_PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(HISTORY_CURSOR, cursor);
        String partnerId = caller.seesAllPartners() ? null : caller.partnerId();
        return repository.history(memberId, partnerId, before, pageSize + 1).flatMap(rows -> {
            if (rows.isEmpty() && before == Long.MAX_VALUE) {
                return balance(memberId).replaceWith(new TransferPage(List.of(), null));
            }
            boolean more = rows.size() > pageSize;
            List<LedgerRepository.HistoryRow> page = more ? rows.subList(0, pageSize) : rows;
            String next = more ? Paging.encodeCursor(HISTORY_CURSOR, page.get(page.size() - 1).sequence()) : null;
            return Uni.createFrom().item(new TransferPage(page.stream().map(LedgerRepository.HistoryRow::transfer).toList(), next));
        });
    }

    /**
     * The earns and reversals among {@code transferIds} as the ledger recorded them, in one query,
     * in no particular order; ids of other kinds or of no transfer at all are left out. For the
     * consumers of the ledger events, which take from here what they count and never from the event.
     * Each earn carries the part of its amount that counts toward tier qualifying spend.
     */
    public Uni<List<Purchase>> purchases(List<UUID> transferIds) {
        if (transferIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return repository.purchases(transferIds).map(found -> found.stream()
                .map(purchase -> purchase.withQualifyingAmount(purchase.isEarn()
                        ? LedgerRules.qualifyingAmount(program, purchase.amount(), purchase.points()) : 0))
                .toList());
    }

    /**
     * The earns among {@code transferIds} with what each recorded as bought, in one query, in no
     * particular order; ids of other kinds or of no transfer at all are left out. For the
     * recommendations consumer, which counts these and never the items an event lists.
     */
    public Uni<List<PurchasedItems>> purchasedItems(List<UUID> transferIds) {
        if (transferIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return repository.purchasedItems(transferIds);
    }

    /** One transaction and what was reversed of it. Fails with TRANSFER_NOT_FOUND, also for another partner's. */
    public Uni<TransferDetail> transfer(Caller caller, UUID transferId) {
        return repository.transfer(transferId)
                .onItem().ifNull().failWith(() -> transferNotFound(transferId))
                .invoke(detail -> {
                    if (!caller.seesAllPartners() && !caller.partnerId().equals(detail.partnerId())) {
                        throw transferNotFound(transferId);
                    }
                });
    }

    /**
     * Per partner over {@code [from, to)}: points issued, redeemed, reversed and the net effect on
     * balances, summed from the transfers. Fails with VALIDATION_FAILED for a bad period.
     */
    public Uni<SettlementReport> settle(String fromText, String toText) {
        Period period = Period.parse(fromText, toText, limits.settlementPeriodMax());
        return repository.settlement(period.from(), period.to())
                .map(partners -> new SettlementReport(period.from(), period.to(), partners));
    }

    /** Recomputes every account from the transfers, holds and lots, and lists those that differ. */
    public Uni<ReconciliationReport> reconcile() {
        return repository.reconcile(limits.reconciliationMismatchesListedMax(), limits.reconciliationTimeout());
    }

    /**
     * Moves the member's tier up ({@code direction} +1) or down (-1) inside the caller's
     * transaction, with its TIER_CHANGED event; null when the tier does not move that way. The
     * caller stores the returned balance with {@link #cacheAfterCommit(Balance)} once committed.
     */
    public Uni<Balance> changeTier(SqlClient transaction, UUID memberId, Tier tier, int direction, String reason) {
        return repository.changeTier(transaction, memberId, tier, direction, reason, now(),
                program.expiringWindowDays(), program.timeZone().getId());
    }

    /** Refreshes the cached balance after a change committed outside the write path. */
    public Uni<Void> cacheAfterCommit(Balance balance) {
        return balance == null ? Uni.createFrom().voidItem() : cache.store(balance);
    }

    /** Writes POINTS_EXPIRING notices for one batch of lots expiring within the notice period. */
    public Uni<Long> notifyExpiringPoints(int batchSize, int noticeDays) {
        return repository.notifyExpiring(now(), batchSize, noticeDays);
    }

    /** Releases one batch of holds past their expiry, through the write path; the number released. */
    public Uni<Integer> expireHolds(int batchSize) {
        return repository.dueHolds(now(), batchSize).flatMap(due -> writeJob(due.stream()
                .map(holdId -> jobPosting(TransferKind.HOLD_EXPIRED, null, holdId))
                .toList()));
    }

    /** Expires one batch of points past their date, through the write path; the number of members whose points expired. */
    public Uni<Integer> expirePoints(int batchSize) {
        return repository.membersWithPointsDue(now(), batchSize).flatMap(members -> writeJob(members.stream()
                .map(memberId -> jobPosting(TransferKind.EXPIRY, memberId, null))
                .toList()));
    }

    /**
     * Grants a member what the campaigns rewarding {@code occasion} give, as an earn of bonus points
     * alone, through the write path; the points granted, 0 when no campaign rewards it (or each
     * already did: a campaign grants once per member and occasion, so a repeated call changes
     * nothing). Fails when the database cannot be used, for the caller to retry.
     */
    public Uni<Long> grantOccasion(UUID memberId, BonusOccasion occasion, OffsetDateTime occurredAt) {
        return grant(memberId, PostingFields.occasion(occasion, null, null, occurredAt, lotExpiry(clock.instant())));
    }

    /**
     * Posts the points of a points coupon redeemed by the member, once per code however often it
     * is asked (a retry, the job catching up after a crash): the points posted now, 0 when they
     * were posted before. Fails when the database cannot be used, for the caller to retry.
     */
    public Uni<Long> grantCoupon(UUID memberId, UUID definitionId, String code, long points, String orderId,
            OffsetDateTime redeemedAt) {
        return grant(memberId, PostingFields.occasion(BonusOccasion.coupon(definitionId, code), points, orderId, redeemedAt,
                lotExpiry(clock.instant())));
    }

    private Uni<Long> grant(UUID memberId, PostingFields fields) {
        BonusOccasion occasion = fields.occasion();
        Posting posting = new Posting(OPERATOR, true, null, null, null, null, TransferKind.EARN, memberId, null, fields);
        return writer.write(List.of(posting), limits.idempotencyKeyRetention(), now()).map(results -> {
            PostingResult result = results.get(0);
            return switch (result.outcome()) {
                case APPLIED -> result.receipt().getLong("points");
                case NOTHING_DUE -> 0L;
                // The member gone, the database failing: the caller keeps the grant due and retries.
                default -> throw new IllegalStateException("The " + occasion.key() + " earn of member " + memberId
                        + " was not written: " + result.outcome() + " " + result.body());
            };
        });
    }

    /** A job's write: no idempotency key (a job's run is not retried by anyone waiting for an answer). */
    private static Posting jobPosting(TransferKind kind, UUID memberId, UUID targetId) {
        return new Posting(OPERATOR, true, null, null, null, null, kind, memberId, targetId, PostingFields.none());
    }

    private Uni<Integer> writeJob(List<Posting> postings) {
        if (postings.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return writer.write(postings, limits.idempotencyKeyRetention(), now())
                .map(results -> PostingResult.appliedAccounts(results).size());
    }

    private <T> Uni<Posted<T>> settle(Posting posting, PostingResult result, Class<T> receiptType) {
        return switch (result.outcome()) {
            // The balance is on its way to the cache already (see write); the receipt carries it.
            case APPLIED -> Uni.createFrom().item(new Posted<>(result.status(), receipt(result, receiptType), false));
            // A retry often follows a lost answer, and with it perhaps a lost cache write (the
            // process died after commit): the cached balance may be old, so the next read rebuilds it.
            case REPLAYED -> cache.evict(result.account().memberId())
                    .replaceWith(new Posted<>(result.status(), receipt(result, receiptType), true));
            case FAILED -> {
                LOG.errorf("Ledger write failed in its batch: %s", result.body());
                yield Uni.createFrom().failure(refusal(result.outcome(), result.receipt(), posting));
            }
            default -> Uni.createFrom().failure(refusal(result.outcome(), result.receipt(), posting));
        };
    }

    private <T> T receipt(PostingResult result, Class<T> receiptType) {
        try {
            return mapper.readValue(result.body(), receiptType);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A stored receipt is not a " + receiptType.getSimpleName(), e);
        }
    }

    /** The problem for a refusal, with what the database said about it. */
    private static ProblemException refusal(PostingOutcome outcome, JsonObject details, Posting posting) {
        String detail = switch (outcome) {
            case IDEMPOTENCY_KEY_REUSED -> "This Idempotency-Key was used for a different request; use a new key for a new request";
            case MEMBER_NOT_FOUND -> "No member " + posting.memberId();
            case HOLD_NOT_FOUND -> "No hold " + posting.targetId();
            case TRANSFER_NOT_FOUND -> "No transaction " + posting.targetId();
            case INSUFFICIENT_POINTS -> "Requested " + details.getLong("requested") + " points, "
                    + details.getLong("available") + " available";
            case NO_POINTS_EARNED -> "An amount of " + details.getValue("amount") + " minor units earns less than one point";
            case HOLD_NOT_PENDING -> "The hold is " + details.getString("status") + " (expires at " + details.getString("expiresAt") + ")";
            case CAPTURE_EXCEEDS_HOLD -> "Requested " + details.getLong("requested") + " points of a hold of " + details.getLong("held");
            case TRANSFER_NOT_REVERSIBLE -> "A " + details.getString("kind") + " cannot be reversed";
            case REVERSAL_EXCEEDS_ORIGINAL -> "The original has " + details.getLong("original") + " points, "
                    + details.getLong("alreadyReversed") + " already reversed; requested " + details.getLong("requested");
            case ALREADY_MIGRATED -> HistoricalEarn.isHistorical(posting)
                    ? "Member " + posting.memberId() + " has an opening balance already, which holds the points of their past"
                    : "Member " + posting.memberId() + " has an opening balance already, or the points of their past purchases";
            case REWARD_NOT_FOUND -> "No reward " + posting.fields().rewardId() + " for member " + posting.memberId();
            case REWARD_NOT_AVAILABLE -> "The reward can be claimed from " + orOpen(details.getString("availableFrom"))
                    + " until " + orOpen(details.getString("availableUntil"))
                    + (details.getString("startsAt") == null ? "" : ", and before its event starts at " + details.getString("startsAt"));
            case OUT_OF_STOCK -> "No units of reward " + posting.fields().rewardId() + " are left";
            case CLAIM_LIMIT_REACHED -> "A member may hold " + details.getInteger("limit") + " claims of this reward";
            case PRICE_CHANGED -> "The reward costs " + details.getLong("price") + " points for this member"
                    + (details.getValue("expected") == null ? " now" : ", not " + details.getValue("expected"));
            case CLAIM_NOT_FOUND -> "No reward claim " + posting.targetId() + " of member " + posting.memberId();
            case CLAIM_NOT_PENDING -> "The claim is " + details.getString("status");
            case CANCELLATION_CLOSED -> "Cancellations closed at " + details.getString("cancellableUntil");
            case CAUSE_NOT_FOUND -> "No cause " + posting.fields().causeId() + " taking donations";
            case FAILED -> "The write failed and changed nothing; it was logged";
            case APPLIED, REPLAYED, NOTHING_DUE -> throw new IllegalArgumentException(outcome + " is not a refusal");
        };
        return new ProblemException(outcome.refusal, detail);
    }

    private static String orOpen(String time) {
        return time == null ? "any time" : time;
    }

    /**
     * One unit of a reward for the member's price, debited from their soonest-expiring points with
     * the unit taken from stock in the same transaction ({@link WriteDecider}). {@code priceCeiling}:
     * the highest of the reward's prices as the caller read it. Fails with MEMBER_NOT_FOUND,
     * REWARD_NOT_FOUND, REWARD_NOT_AVAILABLE, PRICE_CHANGED, CLAIM_LIMIT_REACHED, OUT_OF_STOCK,
     * INSUFFICIENT_POINTS, IDEMPOTENCY_KEY_REQUIRED or IDEMPOTENCY_KEY_REUSED.
     */
    public Uni<Posted<ClaimReceipt>> claimReward(Caller caller, UUID memberId, String idempotencyKey, UUID rewardId,
            Long expectedPoints, long priceCeiling, String channel, RequestFingerprint.Fingerprinted request) {
        PostingFields fields = PostingFields.rewardClaim(rewardId, expectedPoints, priceCeiling, channel);
        return post(caller, idempotencyKey, TransferKind.REWARD_CLAIM, memberId, null, request, fields, ClaimReceipt.class);
    }

    /**
     * Cancels a claim: its points back to the lots they were spent from (a lot's date kept), its unit
     * back in stock. Fails with MEMBER_NOT_FOUND, CLAIM_NOT_FOUND, CLAIM_NOT_PENDING,
     * CANCELLATION_CLOSED (not for an administrator), IDEMPOTENCY_KEY_REQUIRED or IDEMPOTENCY_KEY_REUSED.
     */
    public Uni<Posted<ClaimReceipt>> cancelRewardClaim(Caller caller, UUID memberId, UUID claimId, String idempotencyKey,
            String reason, RequestFingerprint.Fingerprinted request) {
        PostingFields fields = PostingFields.rewardCancellation(reason, lotExpiry(clock.instant()));
        return post(caller, idempotencyKey, TransferKind.REWARD_CANCELLATION, memberId, claimId, request, fields,
                ClaimReceipt.class);
    }

    /**
     * Gives points to a cause, matched by the program within the cause's budget. Final: only an
     * operator's adjustment gives them back. Fails with MEMBER_NOT_FOUND, CAUSE_NOT_FOUND,
     * INSUFFICIENT_POINTS, IDEMPOTENCY_KEY_REQUIRED or IDEMPOTENCY_KEY_REUSED.
     */
    public Uni<Posted<DonationReceipt>> donate(Caller caller, UUID memberId, String idempotencyKey, UUID causeId, long points,
            String channel, RequestFingerprint.Fingerprinted request) {
        PostingFields fields = PostingFields.donation(causeId, points, channel);
        return post(caller, idempotencyKey, TransferKind.DONATION, memberId, null, request, fields, DonationReceipt.class);
    }

    /** End of the day, in the program's zone, that many months after {@code from}: valid through that day. */
    private OffsetDateTime lotExpiry(Instant from) {
        return from.atZone(program.timeZone()).toLocalDate()
                .plusMonths(program.expiryMonths()).plusDays(1)
                .atStartOfDay(program.timeZone()).toOffsetDateTime();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Fails with IDEMPOTENCY_KEY_REQUIRED, or VALIDATION_FAILED for a key too long or not printable ASCII. */
    public static void requireIdempotencyKey(String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw new ProblemException(ErrorCode.IDEMPOTENCY_KEY_REQUIRED,
                    "Send a unique Idempotency-Key header with every write and reuse it on retries");
        }
        if (idempotencyKey.length() > ApiLimits.IDEMPOTENCY_KEY_LENGTH_MAX
                || !idempotencyKey.chars().allMatch(character -> character >= 0x21 && character <= 0x7e)) {
            throw new ProblemException(ErrorCode.VALIDATION_FAILED, "Idempotency-Key: at most "
                    + ApiLimits.IDEMPOTENCY_KEY_LENGTH_MAX + " printable ASCII characters without spaces");
        }
    }

    private void requirePlausibleOccurredAt(OffsetDateTime occurredAt) {
        if (occurredAt == null) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (occurredAt.isAfter(now.plus(limits.occurredAtFutureSkewMax()))
                || occurredAt.isBefore(now.minus(limits.occurredAtPastMax()))) {
            throw new ProblemException(ErrorCode.VALIDATION_FAILED, "occurredAt: must be within "
                    + limits.occurredAtPastMax().toDays() + " days before now and "
                    + limits.occurredAtFutureSkewMax().toSeconds() + " seconds after it");
        }
    }

    private static ProblemException transferNotFound(UUID transferId) {
        return new ProblemException(ErrorCode.TRANSFER_NOT_FOUND, "No transaction " + transferId);
    }

    public static ProblemException memberNotFound(UUID memberId) {
        return new ProblemException(ErrorCode.MEMBER_NOT_FOUND, "No member " + memberId);
    }
}
