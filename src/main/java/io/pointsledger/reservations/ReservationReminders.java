package io.pointsledger.reservations;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Sends the reservation reminders due: a RESERVATION_REMINDER notification each, on the member's
 * preferred channel by the communication path. Reminders are rows planned with the booking, so
 * they outlive a restart; each is sent once across instances, as the run that takes it (SKIP
 * LOCKED) marks it in the statement that writes its event.
 */
@ApplicationScoped
public class ReservationReminders {

    private static final Logger LOG = Logger.getLogger(ReservationReminders.class);

    private final ReservationRepository repository;
    private final ReservationsConfig config;
    private final Clock clock;

    ReservationReminders(ReservationRepository repository, ReservationsConfig config, Clock clock) {
        this.repository = repository;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${points-ledger.reservations.reminder-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return sendDue(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).invoke(sent -> {
            if (sent > 0) {
                LOG.infof("Reservation reminders: %d sent", sent);
            }
        }).replaceWithVoid();
    }

    /** Sends one batch of the reminders due at {@code now}; the number sent. */
    Uni<Long> sendDue(OffsetDateTime now) {
        return repository.sendDue(now, config.reminderBatchSize());
    }
}
