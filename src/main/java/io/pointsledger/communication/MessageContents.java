package io.pointsledger.communication;

import io.pointsledger.program.ProgramConfig;
import io.vertx.core.json.JsonObject;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * What each message says, in its member's language: an announcement's own title and body, or a
 * notification's from {@link Notices}. A member whose language the message does not have reads it
 * in the announcement's default language, or in English.
 */
@ApplicationScoped
class MessageContents {

    private static final Set<String> NOTICE_LANGUAGES = Notices.LANGUAGES;
    private static final String NOTICE_DEFAULT = Notices.DEFAULT_LANGUAGE;

    private final ZoneId timeZone;

    MessageContents(ProgramConfig program) {
        this.timeZone = program.timeZone();
    }

    /** Reads every language's notices at start, so that no request reads them from the class path on an event loop. */
    void loadNotices(@Observes StartupEvent started) {
        Notices.LANGUAGES.forEach(Notices::in);
    }

    /** The text of a claimed message for a member who reads {@code memberLanguage} (null: not known). */
    MessageText text(MessageRepository.Claimed message, String memberLanguage) {
        if (message.kind() == MessageKind.ANNOUNCEMENT) {
            return announcement(message.announcementContents(), message.announcementLanguage(), memberLanguage);
        }
        String language = choose(memberLanguage, NOTICE_LANGUAGES, NOTICE_DEFAULT);
        Notices notices = notices(language);
        JsonObject event = message.payload();
        return switch (message.kind()) {
            case TIER_CHANGED -> new MessageText(notices.tierChangedTitle(event.getString("to")),
                    notices.tierChangedBody(event.getString("from"), event.getString("to")), language);
            case POINTS_EXPIRING -> new MessageText(notices.pointsExpiringTitle(event.getLong("points", 0L)),
                    notices.pointsExpiringBody(event.getLong("points", 0L), localDate(event.getString("firstExpiresAt"))), language);
            case COUPON_ISSUED -> new MessageText(notices.couponIssuedTitle(event.getString("name")),
                    event.getString("validUntil") == null ? notices.couponIssuedBody(event.getString("code"))
                            : notices.couponIssuedBodyUntil(event.getString("code"), localDate(event.getString("validUntil"))),
                    language);
            case REWARD_REMINDER -> new MessageText(notices.rewardReminderTitle(event.getString("rewardName")),
                    notices.rewardReminderBody(event.getString("rewardName"), localDate(event.getString("startsAt")),
                            localTime(event.getString("startsAt")), event.getString("venue")), language);
            case RESERVATION_REMINDER -> new MessageText(notices.reservationReminderTitle(event.getString("service")),
                    notices.reservationReminderBody(event.getString("service"), localDate(event.getString("startsAt")),
                            localTime(event.getString("startsAt")), event.getString("store")), language);
            case SURVEY_INVITATION -> new MessageText(notices.surveyInvitationTitle(event.getString("surveyName")),
                    notices.surveyInvitationBody(event.getString("surveyName"), event.getLong("rewardPoints", 0L)), language);
            case ANNOUNCEMENT -> throw new IllegalStateException("announcements are not notices");
        };
    }

    /** The footer's words in {@code language}. */
    static String unsubscribeLabel(String language) {
        return notices(choose(language, NOTICE_LANGUAGES, NOTICE_DEFAULT)).unsubscribe();
    }

    private static MessageText announcement(JsonObject contents, String defaultLanguage, String memberLanguage) {
        String language = choose(memberLanguage, contents.fieldNames(), defaultLanguage);
        JsonObject content = contents.getJsonObject(language);
        return new MessageText(content.getString("title"), content.getString("body"), language);
    }

    /** {@code wanted} if offered, else its primary language (ko for ko-KR) if offered, else {@code fallback}. */
    static String choose(String wanted, Set<String> offered, String fallback) {
        if (wanted == null) {
            return fallback;
        }
        if (offered.contains(wanted)) {
            return wanted;
        }
        String primary = wanted.split("-", 2)[0].toLowerCase(Locale.ROOT);
        return offered.contains(primary) ? primary : fallback;
    }

    private static Notices notices(String language) {
        return Notices.in(language);
    }

    /** The day, in the program's time zone, of an event's time; the text as it came when it is not a time. */
    /** The time of day (hours and minutes), in the program's time zone, of an event's time; the text as it came when it is not a time. */
    private String localTime(String time) {
        if (time == null) {
            return "";
        }
        try {
            return OffsetDateTime.parse(time).atZoneSameInstant(timeZone).toLocalTime().withSecond(0).withNano(0).toString();
        } catch (DateTimeParseException notATime) {
            return time;
        }
    }

    private String localDate(String time) {
        if (time == null) {
            return "";
        }
        try {
            return OffsetDateTime.parse(time).atZoneSameInstant(timeZone).toLocalDate().toString();
        } catch (DateTimeParseException notATime) {
            return time;
        }
    }
}
