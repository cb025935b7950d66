package io.pointsledger.communication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.members.MemberAddresses;
import io.pointsledger.platform.PrintableText;
import io.pointsledger.platform.RetryBackoff;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Sends the messages due. Each instance runs one loop per channel: a round takes tokens from the
 * channel's rate limit, claims as many due messages (skipping those another instance holds),
 * checks each member can still be reached on the channel, hands the rest to the channel's
 * provider, and records in one statement how each went. The loop goes on while rounds are full,
 * and starts again on the next poll. A failed message is due again after a back-off with jitter
 * until its retry window ends; then it is FAILED.
 *
 * <p>Delivery is at least once: an instance that stops between a provider's answer and its
 * record leaves the message to be sent again when its claim lapses, under the same message id.
 */
@ApplicationScoped
public class MessageDispatcher {

    private static final Logger LOG = Logger.getLogger(MessageDispatcher.class);
    private static final int ERROR_LENGTH_MAX = 500;
    private static final long PENDING_COUNT_MAX = 1_000_000;
    private static final Duration PENDING_MEASURE_INTERVAL = Duration.ofSeconds(10);

    private final MessageRepository repository;
    private final MemberAddresses addresses;
    private final MessageContents contents;
    private final UnsubscribeLinks unsubscribeLinks;
    private final ChannelRateLimits rateLimits;
    private final CommunicationConfig config;
    private final RetryBackoff backoff;
    private final Vertx vertx;
    private final Map<ContactChannel, ChannelSender> senders = new EnumMap<>(ContactChannel.class);
    private final Set<ContactChannel> sending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Map<ContactChannel, Map<MessageStatus, Counter>> outcomes = new EnumMap<>(ContactChannel.class);
    private final Map<ContactChannel, AtomicLong> pending = new EnumMap<>(ContactChannel.class);
    private long pollTimerId;
    private long measureTimerId;

    MessageDispatcher(MessageRepository repository, MemberAddresses addresses, MessageContents contents,
            UnsubscribeLinks unsubscribeLinks, ChannelRateLimits rateLimits, CommunicationConfig config, Vertx vertx,
            Instance<ChannelSender> channelSenders, MeterRegistry registry) {
        this.repository = repository;
        this.addresses = addresses;
        this.contents = contents;
        this.unsubscribeLinks = unsubscribeLinks;
        this.rateLimits = rateLimits;
        this.config = config;
        this.backoff = new RetryBackoff(config.dispatch().retryBackoffInitial(), config.dispatch().retryBackoffMax());
        this.vertx = vertx;
        channelSenders.forEach(sender -> senders.put(sender.channel(), sender));
        for (ContactChannel channel : ContactChannel.values()) {
            Map<MessageStatus, Counter> counters = new EnumMap<>(MessageStatus.class);
            for (MessageStatus status : MessageStatus.values()) {
                counters.put(status, Counter.builder("ledger.messages.attempts")
                        .description("Attempts to send a message to a member, by channel and the status they left it in "
                                + "(PENDING: failed, tried again later)")
                        .tag("channel", channel.name()).tag("status", status.name()).register(registry));
            }
            outcomes.put(channel, counters);
            AtomicLong count = new AtomicLong();
            pending.put(channel, count);
            Gauge.builder("ledger.messages.pending", count, AtomicLong::get)
                    .description("Messages to members not yet sent nor given up, by channel, as last measured (counted up to 1 000 000)")
                    .tag("channel", channel.name()).register(registry);
        }
    }

    void start(@Observes StartupEvent startup) {
        stopped.set(false);
        pollTimerId = vertx.setPeriodic(config.dispatch().pollInterval().toMillis(), tick -> senders.keySet().forEach(this::serve));
        measureTimerId = vertx.setPeriodic(PENDING_MEASURE_INTERVAL.toMillis(), tick -> repository.pending(PENDING_COUNT_MAX)
                .subscribe().with(counts -> pending.forEach((channel, count) -> count.set(counts.getOrDefault(channel, 0L))),
                        failure -> LOG.debugf("Pending messages not measured: %s", failure)));
    }

    /** Claims no more; what is in flight is recorded if it ends in time, else sent again when its claim lapses. */
    void stop(@Observes ShutdownEvent shutdown) {
        stopped.set(true);
        vertx.cancelTimer(pollTimerId);
        vertx.cancelTimer(measureTimerId);
    }

    private void serve(ContactChannel channel) {
        ChannelSender sender = senders.get(channel);
        if (stopped.get() || !sender.configured() || !sending.add(channel)) {
            return;
        }
        Multi.createBy().repeating().uni(() -> round(sender))
                .whilst(full -> full && !stopped.get())
                .collect().last()
                .eventually(() -> sending.remove(channel))
                .subscribe().with(last -> { }, failure -> LOG.warnf("Messages on %s not sent: %s", channel, failure.toString()));
    }

    /**
     * One round on a channel: true when it was full (more may be due and the rate allows more). A
     * round that has not ended when its claim lapses (PostgreSQL not answering) is given up, so
     * that the loop cannot stop for good.
     */
    private Uni<Boolean> round(ChannelSender sender) {
        ContactChannel channel = sender.channel();
        int wanted = Math.min(config.dispatch().claimSize(), sender.roundSizeMax());
        UUID claimToken = UUID.randomUUID();
        return rateLimits.take(channel, ratePerSecond(channel), wanted)
                .flatMap(granted -> granted == 0 ? Uni.createFrom().item(false)
                        : repository.claimDue(channel, granted, config.dispatch().claimLease(), claimToken)
                                .flatMap(claimed -> claimed.isEmpty() ? Uni.createFrom().item(false)
                                        : sendAll(sender, claimed)
                                                .flatMap(attempted -> repository.record(claimToken, attempted))
                                                .invoke(statuses -> statuses.forEach(status -> outcomes.get(channel).get(status).increment()))
                                                .map(statuses -> claimed.size() == wanted)))
                .ifNoItem().after(config.dispatch().claimLease()).fail();
    }

    private int ratePerSecond(ContactChannel channel) {
        return switch (channel) {
            case EMAIL -> config.email().ratePerSecond();
            case SMS -> config.sms().ratePerSecond();
            case PUSH -> config.push().ratePerSecond();
        };
    }

    /** The outcome of each claimed message: skipped when its member cannot be reached, else as its provider answered. */
    private Uni<List<MessageRepository.Outcome>> sendAll(ChannelSender sender, List<MessageRepository.Claimed> claimed) {
        return addresses.of(claimed.stream().map(MessageRepository.Claimed::memberId).distinct().toList()).flatMap(found -> {
            List<MessageRepository.Outcome> outcomes = new ArrayList<>();
            List<ChannelSender.Outgoing> outgoing = new ArrayList<>();
            Map<UUID, MessageRepository.Claimed> claimedById = new HashMap<>();
            for (MessageRepository.Claimed message : claimed) {
                MemberAddresses.Address address = found.get(message.memberId());
                String skipped = skipReason(sender.channel(), message, address);
                if (skipped != null) {
                    outcomes.add(new MessageRepository.Outcome(message.memberId(), message.messageId(), MessageStatus.SKIPPED, Duration.ZERO, skipped));
                } else {
                    claimedById.put(message.messageId(), message);
                    outgoing.add(new ChannelSender.Outgoing(message.messageId(), message.memberId(), addressOn(sender.channel(), address),
                            contents.text(message, address.language()), unsubscribeUrl(message.memberId(), sender.channel())));
                }
            }
            if (outgoing.isEmpty()) {
                return Uni.createFrom().item(outcomes);
            }
            return sender.send(outgoing).map(results -> {
                results.forEach(result -> outcomes.add(outcome(result, claimedById.get(result.messageId()))));
                return outcomes;
            });
        });
    }

    /** Why the message is not sent, or null: consent, the announcement, the member and the address are checked as it goes out. */
    private static String skipReason(ContactChannel channel, MessageRepository.Claimed message, MemberAddresses.Address address) {
        if (message.announcementCancelled()) {
            return "the announcement was cancelled";
        }
        if (!message.consented()) {
            return "the member does not consent to " + channel;
        }
        if (address == null || address.erased()) {
            return "the member was erased";
        }
        if (addressOn(channel, address) == null) {
            return "the member has no " + (channel == ContactChannel.EMAIL ? "email address" : "phone number");
        }
        return null;
    }

    /** Where a message on {@code channel} goes: push is addressed by member id, which the provider maps to devices. */
    private static String addressOn(ContactChannel channel, MemberAddresses.Address address) {
        return switch (channel) {
            case EMAIL -> address.email();
            case SMS -> address.phone();
            case PUSH -> address.memberId().toString();
        };
    }

    private String unsubscribeUrl(UUID memberId, ContactChannel channel) {
        return config.publicBaseUrl() + "/v1/unsubscribe/" + unsubscribeLinks.tokenFor(memberId, channel);
    }

    private MessageRepository.Outcome outcome(ChannelSender.Result result, MessageRepository.Claimed message) {
        if (result.sent()) {
            return new MessageRepository.Outcome(message.memberId(), message.messageId(), MessageStatus.SENT, Duration.ZERO, null);
        }
        String error = PrintableText.sanitized(result.error(), ERROR_LENGTH_MAX);
        return result.permanent()
                ? new MessageRepository.Outcome(message.memberId(), message.messageId(), MessageStatus.FAILED, Duration.ZERO, error)
                : new MessageRepository.Outcome(message.memberId(), message.messageId(), MessageStatus.PENDING,
                        backoff.after(message.attempts()), error);
    }
}
