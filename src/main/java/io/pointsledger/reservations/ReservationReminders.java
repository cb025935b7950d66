package io.pointsledger.reservations;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Sends the reservation reminders due: a RESERVATION_REMINDER notification each, on the member's
 * preferred channel by the communication path. Reminders are rows planned with the booking, so
 * they outlive a restart; each is sent once across instances, as the run that takes it (SKIP
 * LOCKED) marks it in the statement that writes its event. The same look purges the booking
 * requests kept past their retention.
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
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return sendDue(now).invoke(sent -> {
            if (sent > 0) {
                LOG.infof("Reservation reminders: %d sent", sent);
            }
        }).call(() -> repository.purgeRequests(now.minus(config.requestRetention()), config.reminderBatchSize()))
                .replaceWithVoid();
    }

    /**
     * Sends the reminders due at {@code now}, batch after batch while a batch comes back full (every
     * DAY_BEFORE reminder of a day is due at the same minute), at most
     * {@code reminder-batches-per-run} batches; the number sent.
     */
    Uni<Long> sendDue(OffsetDateTime now) {
        AtomicLong sent = new AtomicLong();
        AtomicInteger batches = new AtomicInteger();
        return Multi.createBy().repeating().uni(() -> repository.sendDue(now, config.reminderBatchSize()))
                .whilst(batch -> {
                    sent.addAndGet(batch.sent());
                    return batch.taken() == config.reminderBatchSize() && batches.incrementAndGet() < config.reminderBatchesPerRun();
                })
                .collect().last().map(last -> sent.get());
    }
}
