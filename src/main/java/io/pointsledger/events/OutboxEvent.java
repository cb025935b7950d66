package io.pointsledger.events;

import java.util.UUID;

/** One outbox row: an event committed with the change it describes, not yet acknowledged by the broker. */
public record OutboxEvent(long sequence, UUID eventId, UUID memberId, String eventType, String payload) {
}
