package io.pointsledger.communication;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Email through SMTP (Quarkus Mailer): an HTML and a plain-text part from the templates, and the
 * one-click unsubscribe headers of RFC 8058, which mail clients show as an unsubscribe button.
 */
@ApplicationScoped
class EmailSender implements ChannelSender {

    private final ReactiveMailer mailer;
    private final CommunicationConfig config;

    EmailSender(ReactiveMailer mailer, CommunicationConfig config) {
        this.mailer = mailer;
        this.config = config;
    }

    @Override
    public ContactChannel channel() {
        return ContactChannel.EMAIL;
    }

    @Override
    public boolean configured() {
        return true;
    }

    @Override
    public int roundSizeMax() {
        return config.email().concurrentMax() * 8;
    }

    @Override
    public Uni<List<Result>> send(List<Outgoing> messages) {
        return Multi.createFrom().iterable(messages)
                .onItem().transformToUni(this::sendOne).merge(config.email().concurrentMax())
                .collect().asList();
    }

    private Uni<Result> sendOne(Outgoing message) {
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
                .map(sent -> Result.sent(message.messageId()))
                .onFailure().recoverWithItem(failure -> Result.failed(message.messageId(), false, failure.toString()));
    }
}
