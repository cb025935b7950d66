package io.pointsledger.communication;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Singleton;

/** SMS through the configured provider: the member's phone number and the text of the sms template. */
@Singleton
class SmsSender extends HttpProviderSender {

    SmsSender(CommunicationConfig config, Vertx vertx) {
        super(config.sms(), config.dispatch().requestTimeout(), vertx);
    }

    @Override
    public ContactChannel channel() {
        return ContactChannel.SMS;
    }

    @Override
    JsonObject body(Outgoing message) {
        String text = MessageTemplates.sms(message.text(), message.unsubscribeUrl(),
                MessageContents.unsubscribeLabel(message.text().language()));
        return new JsonObject().put("messageId", message.messageId().toString()).put("memberId", message.memberId().toString())
                .put("to", message.address()).put("text", text).put("unsubscribeUrl", message.unsubscribeUrl());
    }
}
