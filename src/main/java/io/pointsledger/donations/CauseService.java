package io.pointsledger.donations;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.ledger.DonationReceipt;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.ledger.Posted;
import io.pointsledger.ledger.RequestFingerprint;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.EnumParameter;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.LimitsConfig;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.Period;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.platform.TimeOrderedIds;
import io.pointsledger.program.PointValues;
import io.pointsledger.program.ProgramConfig;
import io.pointsledger.rewards.RewardsConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * Causes: ledger accounts of their own, created and closed by the operator (audited), credited by
 * members' donations through the ledger's write path, and by the program's match within the cause's
 * budget; their statements for the hand-over to the charity.
 */
@ApplicationScoped
public class CauseService {

    private static final String CAUSE_LIST = "causes";

    private final CauseRepository repository;
    private final LedgerService ledger;
    private final AuditLog audit;
    private final RewardsConfig config;
    private final LimitsConfig limits;
    private final ProgramConfig program;
    private final Clock clock;

    CauseService(CauseRepository repository, LedgerService ledger, AuditLog audit, RewardsConfig config, LimitsConfig limits,
            ProgramConfig program, Clock clock) {
        this.repository = repository;
        this.ledger = ledger;
        this.audit = audit;
        this.config = config;
        this.limits = limits;
        this.program = program;
        this.clock = clock;
    }

    public Uni<Cause> create(Caller actor, CauseRequest request) {
        UUID causeId = TimeOrderedIds.next(clock.millis());
        CauseMatching matching = request.matchingOrNone();
        return repository.pool().withTransaction(transaction -> repository.insert(transaction, causeId, request)
                .call(stored -> audit.record(transaction, actor.auditActor(), AuditAction.CAUSE_CREATED, causeId.toString(),
                        Map.of("name", request.name(), "matchRateBasisPoints", matching.rateBasisPoints(),
                                "matchBudgetPoints", matching.budgetPoints()))))
                .map(CauseRepository.StoredCause::cause);
    }

    /** Fails with CAUSE_NOT_FOUND. */
    public Uni<Cause> find(UUID causeId) {
        return repository.find(causeId).onItem().ifNull().failWith(() -> notFound(causeId)).map(CauseRepository.StoredCause::cause);
    }

    /** Newest first; {@code status} null: all. Fails with VALIDATION_FAILED for a bad status, cursor or limit. */
    public Uni<CausePage> page(String status, String cursor, String limit) {
        return page(EnumParameter.parse("status", status, CauseStatus.class), cursor, limit);
    }

    /** The causes taking donations now, newest first, for members to choose from. */
    public Uni<CausePage> active(String cursor, String limit) {
        return page(CauseStatus.ACTIVE, cursor, limit);
    }

    private Uni<CausePage> page(CauseStatus status, String cursor, String limit) {
        int pageSize = Paging.pageSize(limit, config.pageSizeDefault(), RewardsConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(CAUSE_LIST, cursor);
        return repository.page(status, before, pageSize).map(rows -> new CausePage(
                rows.stream().map(CauseRepository.StoredCause::cause).toList(),
                rows.size() < pageSize ? null : Paging.encodeCursor(CAUSE_LIST, rows.get(rows.size() - 1).sequence())));
    }

    /**
     * Raises the matching budget against the cause's {@code version} (null: any); matches granted
     * meanwhile are kept. Fails with CAUSE_NOT_FOUND, CAUSE_VERSION_MISMATCH or CAUSE_STATE_CONFLICT.
     */
    public Uni<Cause> addMatchingBudget(Caller actor, UUID causeId, long points, Long version) {
        return repository.pool().withTransaction(transaction -> repository.addBudget(transaction, causeId, points, version)
                        .onItem().ifNull().switchTo(() -> find(causeId).map(cause -> {
                            if (cause.status() != CauseStatus.ACTIVE) {
                                throw new ProblemException(ErrorCode.CAUSE_STATE_CONFLICT, "The cause is " + cause.status());
                            }
                            throw new ProblemException(ErrorCode.CAUSE_VERSION_MISMATCH, "The cause is at version "
                                    + cause.version() + ", not " + version + ": read it again");
                        }))
                        .call(stored -> audit.record(transaction, actor.auditActor(), AuditAction.CAUSE_MATCHING_BUDGET_ADDED,
                                causeId.toString(), Map.of("addPoints", points,
                                        "budgetPoints", stored.cause().matching().budgetPoints()))))
                .map(CauseRepository.StoredCause::cause);
    }

    /** Closes the cause for good: no more donations; its account and statements stay. Fails with CAUSE_NOT_FOUND. */
    public Uni<Cause> close(Caller actor, UUID causeId) {
        return repository.pool().withTransaction(transaction -> repository.close(transaction, causeId)
                        .onItem().ifNull().failWith(() -> notFound(causeId))
                        .call(stored -> audit.record(transaction, actor.auditActor(), AuditAction.CAUSE_CLOSED,
                                causeId.toString(), Map.of("name", stored.cause().name()))))
                .map(CauseRepository.StoredCause::cause);
    }

    /**
     * Donated and matched points over {@code [from, to)}, and their value at the program's point
     * value. Fails with CAUSE_NOT_FOUND or VALIDATION_FAILED (the period).
     */
    public Uni<CauseStatement> statement(UUID causeId, String from, String to) {
        Period period = Period.parse(from, to, limits.settlementPeriodMax());
        return find(causeId).chain(cause -> repository.totals(causeId, period.from(), period.to()).map(totals -> {
            long total = totals.donated() + totals.matched();
            return new CauseStatement(causeId, cause.name(), period.from(), period.to(), totals.donations(), totals.donors(),
                    totals.donated(), totals.matched(), total, program.pointValuePerThousandPoints(), program.currency(),
                    value(totals.donated()), value(totals.matched()), value(totals.donated()) + value(totals.matched()));
        }));
    }

    /** Gives points to a cause through the ledger's write path (see LedgerService#donate). */
    public Uni<Posted<DonationReceipt>> donate(Caller caller, UUID memberId, String idempotencyKey, DonationRequest request) {
        RequestFingerprint.Fingerprinted fingerprint = print -> print.text("causeId", request.causeId().toString())
                .number("points", request.points()).text("channel", request.channel().name());
        return ledger.donate(caller, memberId, idempotencyKey, request.causeId(), request.points(), request.channel().name(),
                fingerprint);
    }

    /** Points in minor units at the program's point value, rounded half up; exact whatever the sizes. */
    private long value(long points) {
        return PointValues.value(points, program.pointValuePerThousandPoints());
    }

    private static ProblemException notFound(UUID causeId) {
        return new ProblemException(ErrorCode.CAUSE_NOT_FOUND, "No cause " + causeId);
    }
}
