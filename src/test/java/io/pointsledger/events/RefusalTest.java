package io.pointsledger.events;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Only a refusal the broker would repeat for the event itself counts toward moving it to the
 * dead letters: a slow or absent broker must never dead-letter healthy events.
 */
class RefusalTest {

    @Test
    void shouldCountARecordTheBrokerRefusesForWhatItIs() {
        assertTrue(OutboxRelay.refusedForItself(new RecordTooLargeException("1 MB")));
        assertTrue(OutboxRelay.refusedForItself(new IllegalStateException("send failed", new SerializationException("bad"))));
    }

    @Test
    void shouldNotCountTimeoutsFullBuffersOrConsumersThatCouldNotApplyIt() {
        assertFalse(OutboxRelay.refusedForItself(new TimeoutException("no leader")));
        assertFalse(OutboxRelay.refusedForItself(new io.smallrye.mutiny.TimeoutException()));
        assertFalse(OutboxRelay.refusedForItself(new IllegalStateException("SRMSG00034: Insufficient downstream requests")));
        assertFalse(OutboxRelay.refusedForItself(new RuntimeException("PostgreSQL away")));
    }
}
