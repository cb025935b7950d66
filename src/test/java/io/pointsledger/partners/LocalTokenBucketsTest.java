package io.pointsledger.partners;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The in-memory buckets behind the rate limiter's fallback and the failed-authentication limit. */
class LocalTokenBucketsTest {

    private static final LocalTokenBuckets.Rate TWO_PER_HOUR = LocalTokenBuckets.Rate.perWindow(2, Duration.ofHours(1));

    @Test
    void shouldAllowTheCapacityThenAnswerTheWaitForTheNextToken() {
        LocalTokenBuckets buckets = new LocalTokenBuckets(10);

        assertNull(buckets.take("a", TWO_PER_HOUR));
        assertNull(buckets.take("a", TWO_PER_HOUR));
        Duration wait = buckets.take("a", TWO_PER_HOUR);

        assertNotNull(wait);
        assertTrue(wait.compareTo(Duration.ofMinutes(29)) > 0 && wait.compareTo(Duration.ofMinutes(31)) < 0,
                "one token per half hour: " + wait);
        assertNotNull(buckets.waitForToken("a", TWO_PER_HOUR), "the empty bucket is seen without taking");
        assertNull(buckets.waitForToken("b", TWO_PER_HOUR), "another key has its own bucket");
    }

    @Test
    void shouldShareOneBucketAmongKeysBeyondTheBound() {
        LocalTokenBuckets buckets = new LocalTokenBuckets(2);
        buckets.take("a", TWO_PER_HOUR);
        buckets.take("b", TWO_PER_HOUR);

        // "a" and "b" are not full, so they stay; every further key shares the overflow bucket.
        assertNull(buckets.take("c", TWO_PER_HOUR));
        assertNull(buckets.take("d", TWO_PER_HOUR));
        assertNotNull(buckets.take("e", TWO_PER_HOUR));
        assertNotNull(buckets.waitForToken("f", TWO_PER_HOUR), "a new key beyond the bound finds the overflow empty");
    }
}
