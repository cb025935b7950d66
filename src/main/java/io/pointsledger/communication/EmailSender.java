package io.pointsledger.communication;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * Email through SMTP (Quarkus Mailer): an HTML and a plain-text part from the templates, and the
 * one-click unsubscribe headers of RFC 8058, which mail clients show as an unsubscribe button.
 */
@ApplicationScoped
class EmailSender implements ChannelSender {

    /** A round is this many emails per connection, sent one after the other on it. */
    static final int WAVES_PER_ROUND = 8;
    private static final String MAILER_HOST = "quarkus.mailer.host";

    private final ReactiveMailer mailer;
    private final CommunicationConfig config;
    private final boolean configured;

    EmailSender(ReactiveMailer mailer, CommunicationConfig config) {
        this.mailer = mailer;
        this.config = config;
        // Quarkus' own default (localhost) is not a configuration: emails then wait, as SMS do without a provider.
        ConfigValue host = ConfigProvider.getConfig().getConfigValue(MAILER_HOST);
        this.configured = host.getValue() != null && host.getSourceOrdinal() > Integer.MIN_VALUE
                && !"DefaultValuesConfigSource".equals(host.getSourceName());
    }

    @Override
    public ContactChannel channel() {
        return ContactChannel.EMAIL;
    }

    @Override
    public boolean configured() {
        return configured;
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
        Mail mail = Mail.withText(message.address(), message.text().title(),
                        MessageTemplates.emailText(message.text(), message.unsubscribeUrl(), label).render())
                .setHtml(MessageTemplates.emailHtml(message.text(), message.unsubscribeUrl(), label).render())
                .setFrom(config.emailFrom())
                .addHeader("List-Unsubscribe", "<" + message.unsubscribeUrl() + ">")
                .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                .addHeader("X-Points-Ledger-Message-Id", message.messageId().toString());
        return mailer.send(mail)
                .ifNoItem().after(config.dispatch().requestTimeout()).fail()
                .map(sent -> Result.sent(message.messageId()));
    }
}
