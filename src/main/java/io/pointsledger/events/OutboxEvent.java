package io.pointsledger.events;

import java.util.UUID;

/**
 * One outbox row: an event committed with the change it describes, not yet acknowledged by the
 * broker; {@code refusals} counts the times the broker refused it alone.
 */
public record OutboxEvent(long sequence, UUID eventId, UUID memberId, String eventType, String payload, int refusals) {
}
