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
import java.util.ArrayDeque;
import java.util.Deque;
import org.jboss.logging.Logger;

/**
 * Sums, for each count of a segment's members, its buyers of the settled months: those no purchase
 * can change any more. The members report narrowed to the segment then reads those months from the
 * sums and joins only the last months' buyers with the snapshot, a quarter of a year's rows rather
 * than all of them (half a million members joined with six million rows took two seconds).
 *
 * <p>In the background, after the count: a report that reads the count before its sums are there
 * (two to three seconds at a million members) joins every month, as it does when summing fails
 * (logged; the next count sums again).
 */
@ApplicationScoped
class SegmentMonthSums {

    private static final Logger LOG = Logger.getLogger(SegmentMonthSums.class);

    /**
     * The counts whose months wait to be summed, oldest first: one sum at a time (each holds a
     * connection, and reads every buyer-month of two years), and at most this many waiting; a
     * count beyond is not summed, and its reports join every month.
     */
    private static final int WAITING_MAX = 100;

    private final ReportRepository repository;
    private final ReportsConfig config;
    private final ZoneId timeZone;

    /** The counts waiting for their sums; guarded by itself, as is summing. */
    private final Deque<SegmentSnapshot> waiting = new ArrayDeque<>();
    private boolean summing;
    private volatile boolean stopping;

    SegmentMonthSums(ReportRepository repository, ReportsConfig config, ProgramConfig program) {
        this.repository = repository;
        this.config = config;
        this.timeZone = program.timeZone();
    }

    void counted(@Observes SegmentCounted counted) {
        if (config.segmentMonthsSummed() == 0 || stopping) {
            return;
        }
        synchronized (waiting) {
            if (waiting.size() >= WAITING_MAX) {
                LOG.infof("The settled months of segment %s are not summed: %d counts wait for theirs", counted.snapshot().segmentId(),
                        WAITING_MAX);
                return;
            }
            waiting.addLast(counted.snapshot());
        }
        sumNext();
    }

    /** Sums the months of the next count waiting, unless a sum is under way; then those of the one after. */
    private void sumNext() {
        SegmentSnapshot snapshot;
        synchronized (waiting) {
            if (stopping) {
                waiting.clear();
                return;
            }
            if (summing || waiting.isEmpty()) {
                return;
            }
            summing = true;
            snapshot = waiting.removeFirst();
        }
        long started = System.nanoTime();
        // Given up a minute past the sum's statement timeout: a connection lost without an answer.
        sum(snapshot).ifNoItem().after(config.rollupStatementTimeout().plusMinutes(1)).fail().subscribe().with(summed -> {
            if (summed) {
                LOG.debugf("Summed the settled months of segment %s's count %s in %d ms", snapshot.segmentId(), snapshot.snapshotId(),
                        (System.nanoTime() - started) / 1_000_000);
            }
            summed();
        }, failure -> {
            if (!stopping) {
                LOG.warnf(failure, "The settled months of segment %s were not summed; its reports join every month", snapshot.segmentId());
            }
            summed();
        });
    }

    private void summed() {
        synchronized (waiting) {
            summing = false;
        }
        sumNext();
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
