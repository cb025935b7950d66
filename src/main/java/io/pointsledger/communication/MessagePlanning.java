package io.pointsledger.communication;

import io.pointsledger.program.ProgramConfig;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns something to tell members into the messages to send: the one place announcements and
 * notifications alike decide channels ({@link DeliveryChannels#choose}) and times (after each
 * member's quiet hours, in the program's time zone).
 */
@ApplicationScoped
public class MessagePlanning {

    private final ZoneId timeZone;
    private final Clock clock;

    MessagePlanning(ProgramConfig program, Clock clock) {
        this.timeZone = program.timeZone();
        this.clock = clock;
    }

    /** What to tell: its kind, importance and source; the announcement, or the event of a notification. */
    public record Subject(MessageKind kind, MessageImportance importance, UUID sourceId, UUID announcementId, JsonObject payload) {
    }

    /** The messages for {@code recipients}; a member with no consented channel gets none. */
    public List<PlannedMessage> plan(List<MessageRepository.Recipient> recipients, Subject subject) {
        ZonedDateTime now = clock.instant().atZone(timeZone);
        List<PlannedMessage> planned = new ArrayList<>();
        for (MessageRepository.Recipient recipient : recipients) {
            LocalDateTime deliverAt = DeliveryChannels.deliverAt(recipient.preferences(), now.toLocalDateTime());
            for (ContactChannel channel : DeliveryChannels.choose(recipient.preferences(), subject.importance())) {
                planned.add(new PlannedMessage(PlannedMessage.idOf(subject.sourceId(), recipient.memberId(), channel),
                        recipient.memberId(), channel, subject.kind(), subject.sourceId(), subject.announcementId(), subject.payload(),
                        deliverAt.atZone(timeZone).toOffsetDateTime()));
            }
        }
        return planned;
    }
}
