package io.pointsledger.platform;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before another attempt at something that failed (a webhook, a message): the initial
 * wait doubled per failure, at most the ceiling, and between half of that and all of it at random,
 * so that what failed together while a receiver was down does not all come back at one moment.
 */
public record RetryBackoff(Duration initial, Duration ceiling) {

    /** The wait after the {@code attempts}-th failure. */
    public Duration after(int attempts) {
        long initialMillis = initial.toMillis();
        long ceilingMillis = ceiling.toMillis();
        long doubled = attempts >= 1 + Long.numberOfLeadingZeros(initialMillis) ? ceilingMillis
                : initialMillis << Math.max(0, attempts - 1);
        long full = Math.min(ceilingMillis, doubled);
        return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
    }
}
