package io.pointsledger.communication;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The one rule for which channels a message to a member goes out on, and when. Never a channel the
 * member has not consented to, whatever the message's importance: a member with no consent gets
 * nothing.
 */
public final class DeliveryChannels {

    /**
     * The channels tried after the preferred one, least intrusive and cheapest first: a push can
     * be ignored, an email waits, an SMS costs money and buzzes a phone.
     */
    static final List<ContactChannel> FALLBACK_ORDER = List.of(ContactChannel.PUSH, ContactChannel.EMAIL, ContactChannel.SMS);

    private DeliveryChannels() {
    }

    /**
     * The preferred channel if consented to, else the first consented in {@link #FALLBACK_ORDER};
     * for an important message, also the next consented channel after it. Empty without consent.
     */
    public static List<ContactChannel> choose(ContactPreferences preferences, MessageImportance importance) {
        List<ContactChannel> consented = new ArrayList<>();
        ContactChannel preferred = preferences.preferredChannel();
        if (preferred != null && preferences.consentsTo(preferred)) {
            consented.add(preferred);
        }
        for (ContactChannel channel : FALLBACK_ORDER) {
            if (!consented.contains(channel) && preferences.consentsTo(channel)) {
                consented.add(channel);
            }
        }
        int wanted = importance == MessageImportance.IMPORTANT ? 2 : 1;
        return List.copyOf(consented.subList(0, Math.min(wanted, consented.size())));
    }

    /**
     * When a message due at {@code due} (program time zone) may be delivered: at once, or at the
     * end of the member's quiet hours when it falls in them.
     */
    public static LocalDateTime deliverAt(ContactPreferences preferences, LocalDateTime due) {
        return deliverAt(preferences.quietHours(), due);
    }

    /** {@link #deliverAt(ContactPreferences, LocalDateTime)} for quiet hours (null: none). */
    static LocalDateTime deliverAt(QuietHours quiet, LocalDateTime due) {
        if (quiet == null || !quiet.contains(due.toLocalTime())) {
            return due;
        }
        LocalTime until = quiet.until();
        LocalDateTime end = due.toLocalDate().atTime(until);
        return end.isAfter(due) ? end : end.plusDays(1);
    }

    /**
     * How long from {@code now} until a message may go out, when it would at {@code after} from
     * now: later, to the end of the member's quiet hours, when that falls in them. Quiet hours are
     * the member's as they are when the message is sent, not as they were when it was planned.
     */
    static Duration wait(QuietHours quiet, ZonedDateTime now, Duration after) {
        ZonedDateTime due = now.plus(after);
        LocalDateTime allowed = deliverAt(quiet, due.toLocalDateTime());
        // In the hour a clock turns back, the same local time comes twice: the later one is meant.
        ZonedDateTime end = ZonedDateTime.ofLocal(allowed, now.getZone(), due.getOffset()).withLaterOffsetAtOverlap();
        Duration wait = Duration.between(now, end);
        return wait.compareTo(after) < 0 ? after : wait;
    }
}
