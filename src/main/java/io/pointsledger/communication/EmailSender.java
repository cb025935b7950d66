package io.pointsledger.communication;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.mail.MailClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Email through SMTP (the Vert.x mail client, a pool of kept-alive connections): an HTML and a
 * plain-text part from the templates, and the one-click unsubscribe headers of RFC 8058, which mail
 * clients show as an unsubscribe button. Without points-ledger.communication.smtp.host, emails wait.
 */
@ApplicationScoped
class EmailSender implements ChannelSender {

    /** A round is this many emails per connection, sent one after the other on it. */
    static final int WAVES_PER_ROUND = 8;

    private final CommunicationConfig config;
    private final MailClient client;

    EmailSender(CommunicationConfig config, Vertx vertx) {
        this.config = config;
        CommunicationConfig.Smtp smtp = config.smtp();
        this.client = smtp.host().isEmpty() ? null : MailClient.create(vertx, new MailConfig()
                .setHostname(smtp.host().get())
                .setPort(smtp.port())
                .setStarttls(smtp.startTls())
                .setSsl(smtp.ssl())
                .setUsername(smtp.username().orElse(null))
                .setPassword(smtp.password().orElse(null))
                .setKeepAlive(true)
                .setMaxPoolSize(config.email().concurrentMax())
                .setConnectTimeout((int) config.dispatch().requestTimeout().toMillis())
                // A server that stops answering must not hold a pooled connection for ever.
                .setIdleTimeout((int) config.dispatch().requestTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
    }

    /**
     * After the shutdown observers (the dispatcher stops claiming and lets what is in flight end):
     * closing the client earlier would cut off emails being sent.
     */
    @PreDestroy
    void close() {
        if (client != null) {
            client.close().subscribe().with(ignored -> { }, failure -> { });
        }
    }

    @Override
    public ContactChannel channel() {
        return ContactChannel.EMAIL;
    }

    @Override
    public boolean configured() {
        return client != null;
    }

    @Override
    public int roundSizeMax() {
        return config.email().concurrentMax() * WAVES_PER_ROUND;
    }

    @Override
    public Uni<List<Result>> send(List<Outgoing> messages) {
        return Multi.createFrom().iterable(messages)
                .onItem().transformToUni(this::sendOne).merge(config.email().concurrentMax())
                .collect().asList();
    }

    /** Never fails: a template that cannot render fails its message alone. */
    private Uni<Result> sendOne(Outgoing message) {
        return Uni.createFrom().deferred(() -> mailOf(message))
                .onFailure().recoverWithItem(failure -> Result.failed(message.messageId(), false, failure.toString()));
    }

    private Uni<Result> mailOf(Outgoing message) {
        String label = MessageContents.unsubscribeLabel(message.text().language());
        MailMessage mail = new MailMessage()
                .setFrom(config.emailFrom())
                .setTo(message.address())
                .setSubject(message.text().title())
                .setText(MessageTemplates.emailText(message.text(), message.unsubscribeUrl(), label))
                .setHtml(MessageTemplates.emailHtml(message.text(), message.unsubscribeUrl(), label))
                .setHeaders(MultiMap.caseInsensitiveMultiMap()
                        .add("List-Unsubscribe", "<" + message.unsubscribeUrl() + ">")
                        .add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                        .add("X-Points-Ledger-Message-Id", message.messageId().toString()).getDelegate());
        return client.sendMail(mail)
                .ifNoItem().after(config.dispatch().requestTimeout()).fail()
                .map(sent -> Result.sent(message.messageId()));
    }
}
