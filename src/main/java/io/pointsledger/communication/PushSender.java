package io.pointsledger.communication;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Singleton;

/**
 * App push through the configured provider, addressed by member id: the provider knows the
 * member's devices (the app registers them under that id), this service does not.
 */
@Singleton
class PushSender extends HttpProviderSender {

    PushSender(CommunicationConfig config, Vertx vertx) {
        super(config.push(), config.dispatch().requestTimeout(), vertx);
    }

    @Override
    public ContactChannel channel() {
        return ContactChannel.PUSH;
    }

    @Override
    JsonObject body(Outgoing message) {
        return new JsonObject().put("messageId", message.messageId().toString()).put("memberId", message.memberId().toString())
                .put("to", message.memberId().toString()).put("title", message.text().title()).put("text", message.text().body())
                .put("unsubscribeUrl", message.unsubscribeUrl());
    }
}
