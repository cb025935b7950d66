package io.pointsledger.segments;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.members.MemberService;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.platform.TimeOrderedIds;
import io.pointsledger.program.ProgramConfig;
import io.pointsledger.segments.SegmentRepository.Measured;
import io.pointsledger.segments.SegmentRepository.Measures;
import io.pointsledger.segments.SegmentRepository.OpenRun;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Runs that measure every member's segment attributes as of a day: page by page in member id
 * order, each page read in one statement, its birth dates decrypted on a worker thread, and saved
 * with the run's progress in one transaction. One run is open at a time across instances; an
 * instance that stops leaves its run to be taken over from its last page. A finished run's
 * quintile cutoffs score R, F and M from then on.
 */
@ApplicationScoped
public class AttributeRuns {

    private static final Logger LOG = Logger.getLogger(AttributeRuns.class);
    private static final String RUN_LIST = "segment-attribute-runs";

    private final SegmentRepository repository;
    private final MemberService members;
    private final AuditLog audit;
    private final SegmentsConfig config;
    private final ProgramConfig program;
    private final Clock clock;

    AttributeRuns(SegmentRepository repository, MemberService members, AuditLog audit, SegmentsConfig config, ProgramConfig program,
            Clock clock) {
        this.repository = repository;
        this.members = members;
        this.audit = audit;
        this.config = config;
        this.program = program;
        this.clock = clock;
    }

    /**
     * Opens a run as of today, audited in the same transaction, and measures it on this instance in
     * the background; the run as opened. Fails with SEGMENT_ATTRIBUTE_RUN_IN_PROGRESS while another is open.
     */
    Uni<AttributeRun> request(Caller actor) {
        UUID claim = UUID.randomUUID();
        return repository.pool().withTransaction(transaction -> repository.openRun(transaction, TimeOrderedIds.next(clock.millis()),
                                today(), config.windowDays(), AttributeRun.Requested.REQUEST, claim, false)
                        .map(opened -> opened.orElseThrow(() -> new ProblemException(ErrorCode.SEGMENT_ATTRIBUTE_RUN_IN_PROGRESS,
                                "Another segment attribute run is open: follow it at GET /v1/admin/segment-attribute-runs")))
                        .call(run -> audit.record(transaction, actor.auditActor(), AuditAction.SEGMENT_ATTRIBUTE_RUN_REQUESTED,
                                run.runId().toString(), Map.of("asOf", run.asOf().toString()))))
                .invoke(run -> measure(open(run, claim)).subscribe().with(
                        finished -> finished.ifPresent(AttributeRuns::logFinished),
                        failure -> LOG.warn("A segment attribute run stopped; another instance takes it over once its claim goes stale",
                                failure)));
    }

    /**
     * The scheduled look: takes over an open run whose instance stopped, or opens the day's first
     * run; measures it to the end. The run finished here, if any.
     */
    public Uni<Optional<AttributeRun>> runDue() {
        UUID claim = UUID.randomUUID();
        return repository.takeOver(claim, config.runTakeOverAfter().toSeconds()).flatMap(stalled -> stalled.isPresent()
                ? resume(stalled.get())
                : open(today(), AttributeRun.Requested.SCHEDULE, claim, true).flatMap(opened -> opened.isPresent()
                        ? measure(open(opened.get(), claim))
                        : Uni.createFrom().item(Optional.<AttributeRun>empty())));
    }

    /** Opens a run as of {@code day} and measures it to the end here: the finished run. Fails with SEGMENT_ATTRIBUTE_RUN_IN_PROGRESS. */
    Uni<AttributeRun> runNow(LocalDate day) {
        UUID claim = UUID.randomUUID();
        return open(day, AttributeRun.Requested.REQUEST, claim, false)
                .map(opened -> opened.orElseThrow(() -> new ProblemException(ErrorCode.SEGMENT_ATTRIBUTE_RUN_IN_PROGRESS,
                        "Another segment attribute run is open")))
                .flatMap(run -> measure(open(run, claim)))
                .map(finished -> finished.orElseThrow(() -> new IllegalStateException("The run was taken over")));
    }

    Uni<AttributeRunPage> page(String cursor, String limit) {
        int size = Paging.pageSize(limit, config.pageSizeDefault(), SegmentsConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(RUN_LIST, cursor);
        return repository.runs(before, size + 1).map(rows -> {
            boolean more = rows.size() > size;
            List<SegmentRepository.Sequenced<AttributeRun>> page = more ? rows.subList(0, size) : rows;
            return new AttributeRunPage(page.stream().map(SegmentRepository.Sequenced::value).toList(),
                    more ? Paging.encodeCursor(RUN_LIST, page.get(page.size() - 1).sequence()) : null);
        });
    }

    private Uni<Optional<AttributeRun>> open(LocalDate day, AttributeRun.Requested requested, UUID claim, boolean firstOfDay) {
        return repository.openRun(repository.pool(), TimeOrderedIds.next(clock.millis()), day, config.windowDays(), requested, claim,
                firstOfDay);
    }

    private static OpenRun open(AttributeRun run, UUID claim) {
        return new OpenRun(run.runId(), claim, run.asOf(), run.windowDays(), SegmentRepository.FIRST_MEMBER_BOUND, 0);
    }

    /**
     * Measures page after page from where the run got to, then finishes it; empty once another
     * instance has taken the run over (this one stops writing at once).
     */
    private Uni<Optional<AttributeRun>> measure(OpenRun run) {
        ZoneId zone = program.timeZone();
        Instant asOf = run.asOf().atStartOfDay(zone).toInstant();
        Instant windowStart = run.asOf().minusDays(run.windowDays()).atStartOfDay(zone).toInstant();
        AtomicReference<UUID> bound = new AtomicReference<>(run.lastMemberId());
        return Multi.createBy().repeating()
                .uni(() -> repository.measurePage(bound.get(), config.runPageSize(), asOf, windowStart)
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .flatMap(page -> savePage(run, page, bound)))
                .whilst(outcome -> outcome.ours() && outcome.measured() == config.runPageSize())
                .collect().last()
                .flatMap(last -> last != null && !last.ours() ? Uni.createFrom().item(Optional.<AttributeRun>empty()) : repository.finish(run))
                .call(finished -> finished.isPresent() ? deleteOlderMeasures(finished.get()) : Uni.createFrom().voidItem());
    }

    /** Measures a run taken over, or closes it as failed once taken over more often than allowed. */
    private Uni<Optional<AttributeRun>> resume(OpenRun run) {
        if (run.takeovers() > config.runTakeoversMax()) {
            LOG.warnf("Segment attribute run %s closed as failed: taken over %d times without finishing", run.runId(), run.takeovers());
            return repository.fail(run).replaceWith(Optional.empty());
        }
        return measure(run);
    }

    /** Deletes the rows of runs before {@code run}, page by page: segments read only the newest finished run's. */
    private Uni<Void> deleteOlderMeasures(AttributeRun run) {
        return Multi.createBy().repeating().uni(() -> repository.deleteOlderMeasures(run.runId(), config.runPageSize()))
                .whilst(deleted -> deleted == config.runPageSize())
                .collect().last().replaceWithVoid();
    }

    /** What one page came to: members measured, and whether the run was still this instance's. */
    private record PageOutcome(int measured, boolean ours) {
    }

    private Uni<PageOutcome> savePage(OpenRun run, List<Measured> page, AtomicReference<UUID> bound) {
        List<Measures> measures = new ArrayList<>(page.size());
        for (Measured member : page) {
            measures.add(measures(member, run.asOf()));
        }
        UUID last = page.isEmpty() ? bound.get() : page.get(page.size() - 1).memberId();
        return repository.savePage(run, measures, last).map(ours -> {
            bound.set(last);
            return new PageOutcome(page.size(), ours);
        });
    }

    private Measures measures(Measured member, LocalDate day) {
        Integer recencyDays = member.lastPurchaseAt() == null ? null
                : Math.toIntExact(ChronoUnit.DAYS.between(LocalDate.ofInstant(member.lastPurchaseAt(), program.timeZone()), day));
        LocalDate birthDate = members.birthDate(member.memberId(), member.birthDateEncrypted());
        Integer age = birthDate == null || birthDate.isAfter(day) ? null : Period.between(birthDate, day).getYears();
        return new Measures(member.memberId(), recencyDays, member.frequency(), member.monetary(), age);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), program.timeZone());
    }

    static void logFinished(AttributeRun run) {
        LOG.infof("Segment attributes measured for %d members as of %s (%d active)", run.membersMeasured(), run.asOf(),
                run.activeMembers());
    }
}
