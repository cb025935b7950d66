package io.pointsledger.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void shouldMakeVersion7IdsOfTheRfcVariantCarryingTheirMillisecond() {
        long millis = 1_795_000_000_123L;
        UUID id = TimeOrderedIds.next(millis);

        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        assertEquals(millis, id.getMostSignificantBits() >>> 16);
    }

    @Test
    void shouldSortIdsOfLaterMillisecondsAfterEarlierOnesAsPostgresqlComparesThem() {
        // PostgreSQL compares uuids byte by byte, unsigned: the hex text orders the same way.
        UUID earlier = TimeOrderedIds.next(1_795_000_000_000L);
        UUID later = TimeOrderedIds.next(1_795_000_000_001L);

        assertTrue(earlier.toString().compareTo(later.toString()) < 0);
    }

    @Test
    void shouldNotRepeatAnIdWithinOneMillisecond() {
        Set<UUID> ids = new HashSet<>();
        for (int index = 0; index < 100_000; index++) {
            ids.add(TimeOrderedIds.next(1_795_000_000_000L));
        }
        assertEquals(100_000, ids.size());
    }
}
