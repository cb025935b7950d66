package io.pointsledger.reservations;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.time.LocalTime;

/** How reservations are booked, reminded of and listed. */
@ConfigMapping(prefix = "points-ledger.reservations")
public interface ReservationsConfig {

    /** The tier benefit: a SILVER member may book this many days further ahead than a bookable's window. */
    @WithDefault("3")
    @Min(0)
    @Max(365)
    int silverEarlyDays();

    /** The same for a GOLD member. */
    @WithDefault("7")
    @Min(0)
    @Max(365)
    int goldEarlyDays();

    /** The first reminder: on the day before the slot's day, at this time (program time zone). */
    @WithDefault("18:00")
    LocalTime reminderDayBeforeAt();

    /** The second reminder: this long before the slot starts. */
    @WithDefault("2h")
    Duration reminderSameDayBefore();

    /** How often an instance sends the reminders due. */
    @WithDefault("1m")
    Duration reminderInterval();

    /** Reminders sent per statement at most. */
    @WithDefault("500")
    @Min(1)
    @Max(10_000)
    int reminderBatchSize();

    /** Statements one look sends at most: bounds a look however many reminders are due at once. */
    @WithDefault("20")
    @Min(1)
    @Max(1_000)
    int reminderBatchesPerRun();

    /** How long a booking, change or cancellation answers a retry of its Idempotency-Key, as the ledger's keys do. */
    @WithDefault("24h")
    Duration requestRetention();

    /** An arrival may be recorded from this long before the slot starts (a member early for a fitting). */
    @WithDefault("1h")
    Duration attendanceOpensBefore();

    /** Days one availability request covers at most. */
    @WithDefault("31")
    @Min(1)
    @Max(366)
    int availabilityDaysMax();

    @WithDefault("50")
    @Min(1)
    @Max(PAGE_SIZE_MAX)
    int pageSizeDefault();

    /** Bookables and reservations per page at most. */
    int PAGE_SIZE_MAX = 200;
}
