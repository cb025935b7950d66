package io.pointsledger.communication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeliveryChannelsTest {

    private static ContactPreferences preferences(ContactChannel preferred, QuietHours quiet, ContactChannel... consented) {
        List<ChannelConsent> consents = new ArrayList<>();
        for (ContactChannel channel : ContactChannel.values()) {
            consents.add(new ChannelConsent(channel, List.of(consented).contains(channel), null, null));
        }
        return new ContactPreferences(UUID.randomUUID(), consents, preferred, quiet, null, 1);
    }

    @Test
    void shouldSendNothingToAMemberWithoutConsentEvenWhenImportant() {
        assertEquals(List.of(), DeliveryChannels.choose(preferences(null, null), MessageImportance.IMPORTANT));
        assertEquals(List.of(), DeliveryChannels.choose(preferences(ContactChannel.SMS, null), MessageImportance.NORMAL));
    }

    @Test
    void shouldNeverChooseSmsWithoutSmsConsentEvenWhenItIsPreferredOrTheMessageImportant() {
        ContactPreferences noSms = preferences(ContactChannel.SMS, null, ContactChannel.EMAIL, ContactChannel.PUSH);
        assertEquals(List.of(ContactChannel.PUSH), DeliveryChannels.choose(noSms, MessageImportance.NORMAL));
        assertEquals(List.of(ContactChannel.PUSH, ContactChannel.EMAIL), DeliveryChannels.choose(noSms, MessageImportance.IMPORTANT));
        ContactPreferences emailOnly = preferences(null, null, ContactChannel.EMAIL);
        assertEquals(List.of(ContactChannel.EMAIL), DeliveryChannels.choose(emailOnly, MessageImportance.IMPORTANT),
                "an important message with one consented channel goes out on that one only");
    }

    @Test
    void shouldUseThePreferredChannelFirstAndTheNextConsentedOneForAnImportantMessage() {
        ContactPreferences all = preferences(ContactChannel.SMS, null, ContactChannel.values());
        assertEquals(List.of(ContactChannel.SMS), DeliveryChannels.choose(all, MessageImportance.NORMAL));
        assertEquals(List.of(ContactChannel.SMS, ContactChannel.PUSH), DeliveryChannels.choose(all, MessageImportance.IMPORTANT));
    }

    @Test
    void shouldHoldAMessageDueInQuietHoursUntilTheyEnd() {
        ContactPreferences overnight = preferences(null, new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0)), ContactChannel.EMAIL);
        LocalDateTime evening = LocalDateTime.of(2026, 11, 29, 23, 30);
        LocalDateTime morning = LocalDateTime.of(2026, 11, 30, 6, 0);
        LocalDateTime noon = LocalDateTime.of(2026, 11, 30, 12, 0);
        assertEquals(LocalDateTime.of(2026, 11, 30, 8, 0), DeliveryChannels.deliverAt(overnight, evening));
        assertEquals(LocalDateTime.of(2026, 11, 30, 8, 0), DeliveryChannels.deliverAt(overnight, morning));
        assertEquals(noon, DeliveryChannels.deliverAt(overnight, noon));
        assertEquals(LocalDateTime.of(2026, 11, 30, 8, 0), DeliveryChannels.deliverAt(overnight, LocalDateTime.of(2026, 11, 29, 22, 0)),
                "from is inside the quiet hours");
        assertEquals(LocalDateTime.of(2026, 11, 30, 8, 0), DeliveryChannels.deliverAt(overnight, LocalDateTime.of(2026, 11, 30, 8, 0)),
                "until is outside them");

        ContactPreferences lunch = preferences(null, new QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 0)), ContactChannel.EMAIL);
        assertEquals(LocalDateTime.of(2026, 11, 30, 13, 0), DeliveryChannels.deliverAt(lunch, noon.plusMinutes(30)));
        assertEquals(morning, DeliveryChannels.deliverAt(lunch, morning));
    }

    @Test
    void shouldWaitForTheEndOfQuietHoursWhenAMessageOrItsRetryWouldGoOutInThem() {
        QuietHours overnight = new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0));
        java.time.ZonedDateTime late = java.time.ZonedDateTime.of(2026, 11, 29, 21, 59, 0, 0, java.time.ZoneId.of("Asia/Seoul"));
        java.time.Duration backoff = java.time.Duration.ofMinutes(2);

        assertEquals(backoff, DeliveryChannels.wait(overnight, late.minusHours(1), backoff), "a retry before the quiet hours");
        assertEquals(java.time.Duration.ofHours(10).plusMinutes(1), DeliveryChannels.wait(overnight, late, backoff),
                "a retry that would go out at 22:01 waits until 08:00");
        assertEquals(java.time.Duration.ofHours(9), DeliveryChannels.wait(overnight, late.plusHours(1).plusMinutes(1), java.time.Duration.ZERO),
                "a message claimed at 23:00, in quiet hours set after it was planned, goes back until 08:00");
        assertEquals(backoff, DeliveryChannels.wait(null, late, backoff), "no quiet hours");
    }

    @Test
    void shouldWaitForTheLaterOfTwoLikeTimesWhenTheClockTurnsBack() {
        // Berlin turns 03:00 CEST back to 02:00 CET on 2026-10-25: 02:10 and 02:30 come twice.
        QuietHours night = new QuietHours(LocalTime.of(22, 0), LocalTime.of(2, 30));
        java.time.ZonedDateTime secondTen = java.time.ZonedDateTime.of(java.time.LocalDateTime.of(2026, 10, 25, 2, 10),
                java.time.ZoneId.of("Europe/Berlin")).withLaterOffsetAtOverlap();

        assertEquals(java.time.Duration.ofMinutes(20), DeliveryChannels.wait(night, secondTen, java.time.Duration.ZERO),
                "the second 02:30, not the first (which is past), and never a negative wait");
        assertEquals(java.time.Duration.ofMinutes(80), DeliveryChannels.wait(night, secondTen.withEarlierOffsetAtOverlap(),
                java.time.Duration.ZERO), "from the first 02:10, to the second 02:30");
    }
}
