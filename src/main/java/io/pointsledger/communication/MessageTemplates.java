package io.pointsledger.communication;

import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.Template;
import io.quarkus.qute.Variant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The layouts of messages, Qute templates in {@code templates/messages/}: each puts a message's
 * title and body in the shape of its channel, with the member's one-click unsubscribe link. HTML
 * templates escape what they insert. Only maps and strings are given to them, so nothing is
 * resolved by reflection (fit for a native image).
 */
final class MessageTemplates {

    private static final Engine ENGINE = Engine.builder().addDefaults()
            .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML))).build();
    private static final Template EMAIL_HTML = load("emailHtml.html", Variant.TEXT_HTML);
    private static final Template EMAIL_TEXT = load("emailText.txt", Variant.TEXT_PLAIN);
    private static final Template SMS = load("sms.txt", Variant.TEXT_PLAIN);
    private static final Template UNSUBSCRIBE_PAGE = load("unsubscribePage.html", Variant.TEXT_HTML);

    private MessageTemplates() {
    }

    static String emailHtml(MessageText message, String unsubscribeUrl, String unsubscribeLabel) {
        return EMAIL_HTML.render(data(message, unsubscribeUrl, unsubscribeLabel));
    }

    static String emailText(MessageText message, String unsubscribeUrl, String unsubscribeLabel) {
        return EMAIL_TEXT.render(data(message, unsubscribeUrl, unsubscribeLabel));
    }

    static String sms(MessageText message, String unsubscribeUrl, String unsubscribeLabel) {
        return SMS.render(data(message, unsubscribeUrl, unsubscribeLabel)).strip();
    }

    /** The page an unsubscribe link opens: a button that POSTs to the page's own address, the link. */
    static String unsubscribePage(String channel) {
        return UNSUBSCRIBE_PAGE.render(Map.of("channel", channel));
    }

    /** A template of one line of text, such as a notice's (not escaped: the channel's layout escapes what it must). */
    static Template parse(String text) {
        return ENGINE.parse(text, Variant.forContentType(Variant.TEXT_PLAIN));
    }

    private static Map<String, Object> data(MessageText message, String unsubscribeUrl, String unsubscribeLabel) {
        return Map.of("title", message.title(), "body", message.body(), "language", message.language(),
                "unsubscribeUrl", unsubscribeUrl, "unsubscribeLabel", unsubscribeLabel);
    }

    private static Template load(String name, String contentType) {
        String path = "templates/messages/" + name;
        try (InputStream in = MessageTemplates.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("No template " + path);
            }
            return ENGINE.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), Variant.forContentType(contentType), path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the template " + path, e);
        }
    }
}
