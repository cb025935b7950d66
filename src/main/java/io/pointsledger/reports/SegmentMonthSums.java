package io.pointsledger.reports;

import io.pointsledger.program.ProgramConfig;
import io.pointsledger.segments.SegmentCounted;
import io.pointsledger.segments.SegmentSnapshot;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.LocalDate;
import java.time.ZoneId;
import org.jboss.logging.Logger;

/**
 * Sums, for each count of a segment's members, its buyers of the settled months: those no purchase
 * can change any more. The members report narrowed to the segment then reads those months from the
 * sums and joins only the last months' buyers with the snapshot, a quarter of a year's rows rather
 * than all of them (half a million members joined with six million rows took two seconds).
 *
 * <p>In the background, after the count: a report that reads the count before its sums are there
 * (a second or two at a million members) joins every month, as it does when summing fails
 * (logged; the next count sums again).
 */
@ApplicationScoped
class SegmentMonthSums {

    private static final Logger LOG = Logger.getLogger(SegmentMonthSums.class);

    private final ReportRepository repository;
    private final ReportsConfig config;
    private final ZoneId timeZone;

    SegmentMonthSums(ReportRepository repository, ReportsConfig config, ProgramConfig program) {
        this.repository = repository;
        this.config = config;
        this.timeZone = program.timeZone();
    }

    private volatile boolean stopping;

    void counted(@Observes SegmentCounted counted) {
        if (config.segmentMonthsSummed() == 0 || stopping) {
            return;
        }
        SegmentSnapshot snapshot = counted.snapshot();
        long started = System.nanoTime();
        sum(snapshot).subscribe().with(summed -> {
            if (summed) {
                LOG.debugf("Summed the settled months of segment %s's count %s in %d ms", snapshot.segmentId(), snapshot.snapshotId(),
                        (System.nanoTime() - started) / 1_000_000);
            }
        }, failure -> {
            if (!stopping) {
                LOG.warnf(failure, "The settled months of segment %s were not summed; its reports join every month", snapshot.segmentId());
            }
        });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopping = true;
    }

    /** Sums the settled months for {@code snapshot}, segmentMonthsSummed of them; whether this did. */
    Uni<Boolean> sum(SegmentSnapshot snapshot) {
        return repository.rolledRun(repository.pool(), timeZone).flatMap(rolled -> {
            if (rolled.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            LocalDate before = ReportRepository.settledMonthsBefore(rolled.get().through().atZoneSameInstant(timeZone).toLocalDate());
            return repository.sumMonths(snapshot, before.minusMonths(config.segmentMonthsSummed()), before,
                    config.rollupStatementTimeout());
        });
    }
}
