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

    /**
     * Rolls up the ended days not rolled up yet, oldest first, at most rollupDaysPerRun; how many
     * this did. Days end by the database's clock, the one that dates transfers.
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
        return repository.rolledRun().flatMap(run -> run.isPresent() ? Uni.createFrom().item(Optional.of(run.get().last().plusDays(1)))
                : repository.firstRecorded().map(first -> first.map(recorded -> recorded.atZoneSameInstant(timeZone).toLocalDate())));
    }

    /** Rolls up {@code day}, ended or not: for tests, which roll up the day they write in. */
    Uni<Boolean> rollUp(LocalDate day) {
        return repository.rollUp(day, startOf(day), startOf(day.plusDays(1)), timeZone.getId(), config.rollupStatementTimeout());
    }

    OffsetDateTime startOf(LocalDate day) {
        return day.atStartOfDay(timeZone).toOffsetDateTime();
    }
}
