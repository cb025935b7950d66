package io.pointsledger.communication;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A message to write to the delivery log: to whom, on which channel, what it is, and when it may
 * go out (after the member's quiet hours).
 *
 * @param sourceId the announcement, or the event a notification is about
 * @param payload the event of a notification; null for an announcement, whose text is its own
 */
public record PlannedMessage(UUID messageId, UUID memberId, ContactChannel channel, MessageKind kind, UUID sourceId,
        UUID announcementId, JsonObject payload, OffsetDateTime deliverAt) {

    /**
     * The message's id, the same every time the same source is planned for the same member and
     * channel: planning again writes nothing new, and a provider may drop a repeat by it.
     */
    public static UUID idOf(UUID sourceId, UUID memberId, ContactChannel channel) {
        return UUID.nameUUIDFromBytes((sourceId + ":" + memberId + ":" + channel).getBytes(StandardCharsets.UTF_8));
    }
}
