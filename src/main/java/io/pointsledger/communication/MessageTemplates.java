package io.pointsledger.communication;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The layouts of messages, in {@code templates/messages/}: each puts a message's title and body
 * in the shape of its channel, with the member's one-click unsubscribe link. HTML is escaped.
 */
@CheckedTemplate(basePath = "messages")
final class MessageTemplates {

    private MessageTemplates() {
    }

    static native TemplateInstance emailHtml(MessageText message, String unsubscribeUrl, String unsubscribeLabel);

    static native TemplateInstance emailText(MessageText message, String unsubscribeUrl, String unsubscribeLabel);

    static native TemplateInstance sms(MessageText message, String unsubscribeUrl, String unsubscribeLabel);

    /** The page an unsubscribe link opens: a button that POSTs to the page's own address, the link. */
    static native TemplateInstance unsubscribePage(String channel);
}
