package io.pointsledger.reports;

import io.pointsledger.program.ProgramConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Rolls the ledger up, day by day in order, once each day has ended and its transactions have
 * committed ({@link ReportsConfig#rollupDelay()}). A day is claimed by the row that marks it
 * rolled up, in the transaction that writes its rows: two instances never both roll a day up, and a
 * day is never half rolled up. Days are immutable once ended (transfers are appended, dated when
 * recorded), so a rolled-up day never changes.
 */
@ApplicationScoped
public class ReportRollups {

    private static final Logger LOG = Logger.getLogger(ReportRollups.class);

    private final ReportRepository repository;
    private final ReportsConfig config;
    private final ZoneId timeZone;

    ReportRollups(ReportRepository repository, ReportsConfig config, ProgramConfig program) {
        this.repository = repository;
        this.config = config;
        this.timeZone = program.timeZone();
    }

    @Scheduled(every = "${points-ledger.reports.rollup-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> rollUpDue() {
        if (!config.rollupsEnabled()) {
            return Uni.createFrom().voidItem();
        }
        return rollUpEndedDays()
                .invoke(days -> {
                    if (days > 0) {
                        LOG.infof("Rolled up %d days for reports", days);
                    }
                })
                .onFailure().invoke(failure -> LOG.warn("Rolling up days for reports failed; the next look goes on from the last day done",
                        failure))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    @Scheduled(every = "${points-ledger.reports.slice-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> rollUpSliceDue() {
        if (!config.rollupsEnabled()) {
            return Uni.createFrom().voidItem();
        }
        return rollUpSlices()
                .onFailure().invoke(failure -> LOG.warn("Rolling up today's latest slice for reports failed; the next look goes on from the "
                        + "last slice done", failure))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * Rolls up the transfers recorded since the last slice until sliceDelay ago, a slice per day
     * (one, or two across midnight); how many slices this rolled up. Only once the ended days are
     * rolled up: a slice goes on from the last of them, and their rollup comes first.
     */
    public Uni<Integer> rollUpSlices() {
        return repository.now().flatMap(now -> nextSliceStart().flatMap(start -> {
            OffsetDateTime horizon = now.minus(config.sliceDelay());
            if (start.isEmpty() || !start.get().isBefore(horizon) || !dayOf(start.get()).isAfter(lastEndedDay(now))) {
                return Uni.createFrom().item(0);
            }
            LocalDate day = dayOf(start.get());
            OffsetDateTime dayEnd = startOf(day.plusDays(1));
            OffsetDateTime end = horizon.isBefore(dayEnd) ? horizon : dayEnd;
            return repository.rollUpSlice(day, start.get(), end, start.get().isEqual(startOf(day)), timeZone.getId(),
                            config.rollupStatementTimeout())
                    .flatMap(done -> done && end.isEqual(dayEnd) ? rollUpSlices().map(more -> more + 1)
                            : Uni.createFrom().item(done ? 1 : 0));
        }));
    }

    /** Where the next slice starts: where the rollups' holdings end; the start of the first transfer's day before anything is. */
    private Uni<Optional<OffsetDateTime>> nextSliceStart() {
        return repository.rolledRun(repository.pool(), timeZone).flatMap(run -> run.isPresent()
                ? Uni.createFrom().item(Optional.of(run.get().through()))
                : repository.firstRecorded().map(first -> first.map(recorded -> startOf(dayOf(recorded)))));
    }

    /** The day of the program's time zone {@code instant} falls on. */
    LocalDate dayOf(OffsetDateTime instant) {
        return instant.atZoneSameInstant(timeZone).toLocalDate();
    }

    /**
     * Rolls up the ended days not rolled up yet, oldest first, at most rollupDaysPerRun; how many
     * this did. Days end by the database's clock (rollupDelay leaves room for the instances' clocks,
     * which date transfers, to differ from it).
     */
    public Uni<Integer> rollUpEndedDays() {
        return repository.now().flatMap(now -> rollUpThrough(lastEndedDay(now)));
    }

    private Uni<Integer> rollUpThrough(LocalDate lastEnded) {
        return firstDayToRollUp().flatMap(first -> {
            if (first.isEmpty() || first.get().isAfter(lastEnded)) {
                return Uni.createFrom().item(0);
            }
            LocalDate through = first.get().plusDays(config.rollupDaysPerRun() - 1L);
            LocalDate last = through.isBefore(lastEnded) ? through : lastEnded;
            return Multi.createFrom().iterable(first.get().datesUntil(last.plusDays(1)).toList())
                    .onItem().transformToUniAndConcatenate(this::rollUp)
                    .collect().with(java.util.stream.Collectors.summingInt(done -> done ? 1 : 0));
        });
    }

    /** The last day whose end is rollupDelay or more before {@code now}. */
    private LocalDate lastEndedDay(OffsetDateTime now) {
        return now.minus(config.rollupDelay()).atZoneSameInstant(timeZone).toLocalDate().minusDays(1);
    }

    /** The day after the unbroken run of days rolled up; the day of the first transfer before any was. */
    private Uni<Optional<LocalDate>> firstDayToRollUp() {
        return repository.rolledRun(repository.pool(), timeZone).flatMap(run -> run.isPresent()
                ? Uni.createFrom().item(Optional.of(run.get().last() != null ? run.get().last().plusDays(1) : run.get().first()))
                : repository.firstRecorded().map(first -> first.map(this::dayOf)));
    }

    /** Rolls up {@code day} as a whole, ended or not (tests roll up the day they write in); whether this did. */
    Uni<Boolean> rollUp(LocalDate day) {
        return repository.rollUp(day, startOf(day), startOf(day.plusDays(1)), timeZone.getId(), config.rollupStatementTimeout())
                .map(rollup -> {
                    if (rollup.missedBySlices() != 0) {
                        LOG.warnf("%d transfers of %s were committed after the slice of their recording time was rolled up "
                                + "(points-ledger.reports.slice-delay); today's reports missed them until the day was rolled up", rollup.missedBySlices(), day);
                    }
                    return rollup.done();
                });
    }

    /** Rolls up the transfers of {@code day} recorded in [{@code from}, {@code to}) as its next slice: for tests. */
    Uni<Boolean> rollUpSlice(LocalDate day, OffsetDateTime from, OffsetDateTime to) {
        return repository.rollUpSlice(day, from, to, from.isEqual(startOf(day)), timeZone.getId(), config.rollupStatementTimeout());
    }

    OffsetDateTime startOf(LocalDate day) {
        return day.atStartOfDay(timeZone).toOffsetDateTime();
    }
}
