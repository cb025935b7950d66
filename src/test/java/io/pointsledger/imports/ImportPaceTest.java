package io.pointsledger.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ImportPaceTest {

    @Test
    void shouldWaitOutTheRestOfTheSecondAChunkIsAllowed() {
        assertEquals(Duration.ofMillis(800), ImportRunner.pause(1000, Duration.ofMillis(200).toNanos(), 1000));
        assertEquals(Duration.ofMillis(300), ImportRunner.pause(1000, Duration.ofMillis(200).toNanos(), 2000));
    }

    @Test
    void shouldNotWaitWhenTheChunkWasSlowerThanThePaceOrThereIsNone() {
        assertEquals(Duration.ZERO, ImportRunner.pause(1000, Duration.ofSeconds(2).toNanos(), 1000));
        assertEquals(Duration.ZERO, ImportRunner.pause(1000, 1, 0));
        assertEquals(Duration.ZERO, ImportRunner.pause(0, 0, 1000), "the last chunk may be empty");
    }
}
