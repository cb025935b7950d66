package io.pointsledger.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ApiLimits;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.LimitsConfig;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.program.ProgramConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Earn, redeem, balance, history and reconciliation. Every write takes the same path: validate,
 * fingerprint, one call of {@code ledger_post}, then the balance cache after commit.
 */
@ApplicationScoped
public class LedgerService {

    /** SQLSTATE raised by ledger_post when the same key committed meanwhile for another member. */
    private static final String KEY_REUSED_CONCURRENTLY = "LDG01";
    private static final String HISTORY_CURSOR = "transfers";

    private final LedgerRepository repository;
    private final BalanceCache cache;
    private final ObjectMapper mapper;
    private final LimitsConfig limits;
    private final ProgramConfig program;
    private final EarnRule earnRule;
    private final Clock clock;

    LedgerService(LedgerRepository repository, BalanceCache cache, ObjectMapper mapper, LimitsConfig limits,
            ProgramConfig program, Clock clock) {
        this.repository = repository;
        this.cache = cache;
        this.mapper = mapper;
        this.limits = limits;
        this.program = program;
        this.earnRule = EarnRule.of(program);
        this.clock = clock;
    }

    /**
     * Awards points for a purchase.
     *
     * <p>Fails with MEMBER_NOT_FOUND, CURRENCY_NOT_ACCEPTED, NO_POINTS_EARNED, VALIDATION_FAILED
     * (occurredAt out of range), IDEMPOTENCY_KEY_REQUIRED or IDEMPOTENCY_KEY_REUSED.
     */
    public Uni<Posted> earn(Caller caller, UUID memberId, String idempotencyKey, EarnRequest request) {
        requireIdempotencyKey(idempotencyKey);
        if (!program.currency().equals(request.amount().currency())) {
            throw new ProblemException(ErrorCode.CURRENCY_NOT_ACCEPTED,
                    "amount.currency: this program earns on " + program.currency());
        }
        requirePlausibleOccurredAt(request.occurredAt());
        Posting posting = new Posting(caller.partnerId(), idempotencyKey,
                RequestFingerprint.of(mapper, TransferKind.EARN, memberId, request), TransferKind.EARN, memberId,
                request.points(), request.amount(), request.channel(), request.orderId(), request.occurredAt(),
                request.itemsOrEmpty());
        return post(posting);
    }

    /**
     * Spends points; never takes available points below zero, however many redeems race.
     *
     * <p>Fails with MEMBER_NOT_FOUND, INSUFFICIENT_POINTS, IDEMPOTENCY_KEY_REQUIRED or IDEMPOTENCY_KEY_REUSED.
     */
    public Uni<Posted> redeem(Caller caller, UUID memberId, String idempotencyKey, RedeemRequest request) {
        requireIdempotencyKey(idempotencyKey);
        Posting posting = new Posting(caller.partnerId(), idempotencyKey,
                RequestFingerprint.of(mapper, TransferKind.REDEEM, memberId, request), TransferKind.REDEEM, memberId,
                request.points(), null, request.channel(), request.orderId(), null, List.of());
        return post(posting);
    }

    /** The member's balance: Redis first, PostgreSQL on a miss (then cached). Fails with MEMBER_NOT_FOUND. */
    public Uni<Balance> balance(UUID memberId) {
        return cache.find(memberId).onItem().ifNull().switchTo(() -> repository.account(memberId)
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
                return repository.account(memberId)
                        .onItem().ifNull().failWith(() -> memberNotFound(memberId))
                        .replaceWith(new TransferPage(List.of(), null));
            }
            boolean more = rows.size() > pageSize;
            List<LedgerRepository.HistoryRow> page = more ? rows.subList(0, pageSize) : rows;
            String next = more ? Paging.encodeCursor(HISTORY_CURSOR, page.get(page.size() - 1).sequence()) : null;
            return Uni.createFrom().item(new TransferPage(page.stream().map(LedgerRepository.HistoryRow::transfer).toList(), next));
        });
    }

    /**
     * Per partner over {@code [from, to)}: points issued, redeemed, reversed and the net effect on
     * balances, summed from the transfers. Fails with VALIDATION_FAILED for a bad period.
     */
    public Uni<SettlementReport> settle(String fromText, String toText) {
        OffsetDateTime from = timestamp("from", fromText);
        OffsetDateTime to = timestamp("to", toText);
        if (!from.isBefore(to)) {
            throw new ProblemException(ErrorCode.VALIDATION_FAILED, "from, to: both required, from before to");
        }
        if (java.time.Duration.between(from, to).compareTo(limits.settlementPeriodMax()) > 0) {
            throw new ProblemException(ErrorCode.VALIDATION_FAILED,
                    "to: a settlement period is at most " + limits.settlementPeriodMax().toDays() + " days");
        }
        return repository.settlement(from, to).map(partners -> new SettlementReport(from, to, partners));
    }

    /** Recomputes every account from the transfers and lists those that differ. */
    public Uni<ReconciliationReport> reconcile() {
        return repository.reconcile(limits.reconciliationMismatchesListedMax());
    }

    private Uni<Posted> post(Posting posting) {
        return repository.post(posting, earnRule, limits.idempotencyKeyRetention())
                .onFailure(LedgerService::isConcurrentKeyReuse).transform(failure -> keyReused())
                .flatMap(result -> settle(posting, result));
    }

    private Uni<Posted> settle(Posting posting, PostingResult result) {
        return switch (result.outcome()) {
            case APPLIED -> cache.store(result.account()).replaceWith(new Posted(receipt(result), false));
            case REPLAYED -> Uni.createFrom().item(new Posted(receipt(result), true));
            case IDEMPOTENCY_KEY_REUSED -> Uni.createFrom().failure(keyReused());
            case MEMBER_NOT_FOUND -> Uni.createFrom().failure(memberNotFound(posting.memberId()));
            case INSUFFICIENT_POINTS -> Uni.createFrom().failure(new ProblemException(ErrorCode.INSUFFICIENT_POINTS,
                    "Requested " + result.receipt().getLong("requested") + " points, "
                            + result.receipt().getLong("available") + " available"));
            case NO_POINTS_EARNED -> Uni.createFrom().failure(new ProblemException(ErrorCode.NO_POINTS_EARNED,
                    "An amount of " + result.receipt().getLong("amount") + " minor units earns less than one point"));
        };
    }

    private TransferReceipt receipt(PostingResult result) {
        return mapper.convertValue(result.receipt().getMap(), TransferReceipt.class);
    }

    private void requireIdempotencyKey(String idempotencyKey) {
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

    private static OffsetDateTime timestamp(String name, String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (RuntimeException e) {
            throw new ProblemException(ErrorCode.VALIDATION_FAILED, name + ": an ISO 8601 timestamp with offset is required");
        }
    }

    private static boolean isConcurrentKeyReuse(Throwable failure) {
        return failure instanceof PgException pg && KEY_REUSED_CONCURRENTLY.equals(pg.getSqlState());
    }

    private static ProblemException keyReused() {
        return new ProblemException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                "This Idempotency-Key was used for a different request; use a new key for a new request");
    }

    public static ProblemException memberNotFound(UUID memberId) {
        return new ProblemException(ErrorCode.MEMBER_NOT_FOUND, "No member " + memberId);
    }
}
