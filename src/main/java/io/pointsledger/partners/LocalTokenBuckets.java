package io.pointsledger.partners;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token buckets in this instance's memory, one per key, for limits that must hold without Redis.
 * The number of keys is bounded: when the table is full, buckets that have refilled completely
 * (their key has been quiet) are dropped, and a key that still finds no room shares one overflow
 * bucket with every other such key. A flood of new keys therefore costs bounded memory and is
 * limited together rather than let through.
 *
 * <p>Time is {@link System#nanoTime()}: a rate needs a monotonic clock, and the injected business
 * clock may be moved by tests or stepped by NTP.
 */
final class LocalTokenBuckets {

    /** How fast a bucket refills and how much it holds: a burst of {@code capacity}, then the rate. */
    record Rate(double capacity, double tokensPerSecond) {

        /** One second of burst at {@code tokensPerSecond}, the shape of the Redis buckets. */
        static Rate perSecond(double tokensPerSecond) {
            return new Rate(tokensPerSecond, tokensPerSecond);
        }

        /** {@code count} tokens, refilled evenly over {@code window}. */
        static Rate perWindow(int count, Duration window) {
            return new Rate(count, count * 1_000_000_000.0 / window.toNanos());
        }
    }

    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

    private final int keysMax;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Bucket overflow = new Bucket();
    private final AtomicLong lastSweepNanos = new AtomicLong(System.nanoTime() - SWEEP_INTERVAL_NANOS);

    LocalTokenBuckets(int keysMax) {
        this.keysMax = keysMax;
    }

    /** Takes a token from {@code key}'s bucket: null when there was one, else the wait until there is. */
    Duration take(String key, Rate rate) {
        long now = System.nanoTime();
        return bucketFor(key, now).take(rate, now);
    }

    /** The wait until {@code key}'s bucket holds a token again; null when it holds one now. Takes nothing. */
    Duration waitForToken(String key, Rate rate) {
        Bucket bucket = buckets.get(key);
        if (bucket == null && buckets.size() >= keysMax) {
            bucket = overflow;
        }
        return bucket == null ? null : bucket.waitForToken(rate, System.nanoTime());
    }

    private Bucket bucketFor(String key, long now) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= keysMax) {
            dropQuietBuckets(now);
            if (buckets.size() >= keysMax) {
                return overflow;
            }
        }
        return buckets.computeIfAbsent(key, ignored -> new Bucket());
    }

    /** At most once a second, so that a flood of new keys does not turn every request into a sweep. */
    private void dropQuietBuckets(long now) {
        long last = lastSweepNanos.get();
        if (now - last < SWEEP_INTERVAL_NANOS || !lastSweepNanos.compareAndSet(last, now)) {
            return;
        }
        buckets.values().removeIf(bucket -> bucket.isFull(now));
    }

    /** A bucket starts full. Its rate is given on every call, so a changed limit applies at once. */
    private static final class Bucket {

        private double tokens = Double.NaN;
        private long refilledAtNanos;
        private double capacity;
        private double tokensPerSecond;

        synchronized Duration take(Rate rate, long now) {
            refill(rate, now);
            if (tokens >= 1) {
                tokens -= 1;
                return null;
            }
            return untilOneToken();
        }

        synchronized Duration waitForToken(Rate rate, long now) {
            refill(rate, now);
            return tokens >= 1 ? null : untilOneToken();
        }

        /** Full again at the rate last used: dropping it loses nothing, a new bucket starts full. */
        synchronized boolean isFull(long now) {
            return Double.isNaN(tokens) || tokens + elapsedSeconds(now) * tokensPerSecond >= capacity;
        }

        private void refill(Rate rate, long now) {
            capacity = rate.capacity();
            tokensPerSecond = rate.tokensPerSecond();
            tokens = Double.isNaN(tokens) ? capacity : Math.min(capacity, tokens + elapsedSeconds(now) * tokensPerSecond);
            refilledAtNanos = now;
        }

        private double elapsedSeconds(long now) {
            return (now - refilledAtNanos) / 1_000_000_000.0;
        }

        private Duration untilOneToken() {
            return Duration.ofNanos((long) Math.ceil((1 - tokens) / tokensPerSecond * 1_000_000_000.0));
        }
    }
}
