package io.pointsledger.communication;

import io.quarkus.qute.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The words of notifications and of every message's footer in one language, from
 * {@code messages/notices.properties} (English) and {@code messages/notices_<language>.properties}:
 * each value a Qute template. A key a language lacks is said in English. Read once per language.
 */
final class Notices {

    /** The languages written: English, and those of messages/notices_*.properties. */
    static final Set<String> LANGUAGES = Set.of("en", "ko");
    static final String DEFAULT_LANGUAGE = "en";
    private static final Map<String, Notices> BY_LANGUAGE = new ConcurrentHashMap<>();

    private final Map<String, Template> templates;

    private Notices(Map<String, Template> templates) {
        this.templates = templates;
    }

    /** The notices in {@code language}, one of {@link #LANGUAGES}. */
    static Notices in(String language) {
        return BY_LANGUAGE.computeIfAbsent(language, Notices::load);
    }

    String tierChangedTitle(String to) {
        return render("tierChangedTitle", Map.of("to", text(to)));
    }

    String tierChangedBody(String from, String to) {
        return render("tierChangedBody", Map.of("from", text(from), "to", text(to)));
    }

    String pointsExpiringTitle(long points) {
        return render("pointsExpiringTitle", Map.of("points", points));
    }

    String pointsExpiringBody(long points, String date) {
        return render("pointsExpiringBody", Map.of("points", points, "date", text(date)));
    }

    String rewardReminderTitle(String name) {
        return render("rewardReminderTitle", Map.of("name", text(name)));
    }

    String rewardReminderBody(String name, String date, String time, String venue) {
        return render("rewardReminderBody", Map.of("name", text(name), "date", text(date), "time", text(time), "venue", text(venue)));
    }

    String reservationReminderTitle(String service) {
        return render("reservationReminderTitle", Map.of("service", text(service)));
    }

    String reservationReminderBody(String service, String date, String time, String store) {
        return render("reservationReminderBody", Map.of("service", text(service), "date", text(date), "time", text(time),
                "store", text(store)));
    }

    String surveyInvitationTitle(String name) {
        return render("surveyInvitationTitle", Map.of("name", text(name)));
    }

    String surveyInvitationBody(String name, long points) {
        return points > 0 ? render("surveyInvitationBodyWithPoints", Map.of("name", text(name), "points", points))
                : render("surveyInvitationBody", Map.of("name", text(name)));
    }

    String couponIssuedTitle(String name) {
        return render("couponIssuedTitle", Map.of("name", text(name)));
    }

    String couponIssuedBody(String code) {
        return render("couponIssuedBody", Map.of("code", text(code)));
    }

    String couponIssuedBodyUntil(String code, String validUntil) {
        return render("couponIssuedBodyUntil", Map.of("code", text(code), "validUntil", text(validUntil)));
    }

    String unsubscribe() {
        return render("unsubscribe", Map.of());
    }

    /** A field an event lacks fails its message (the dispatcher fails it alone), rather than reading "null". */
    private static String text(String value) {
        if (value == null) {
            throw new IllegalArgumentException("the event lacks a field the notice needs");
        }
        return value;
    }

    private String render(String key, Map<String, Object> data) {
        return templates.get(key).render(data);
    }

    private static Notices load(String language) {
        Map<String, Template> templates = new HashMap<>();
        read("messages/notices.properties").forEach((key, value) -> templates.put((String) key, MessageTemplates.parse((String) value)));
        if (!DEFAULT_LANGUAGE.equals(language)) {
            read("messages/notices_" + language + ".properties")
                    .forEach((key, value) -> templates.put((String) key, MessageTemplates.parse((String) value)));
        }
        return new Notices(Map.copyOf(templates));
    }

    private static Properties read(String path) {
        try (InputStream in = Notices.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("No notices " + path);
            }
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }
}
