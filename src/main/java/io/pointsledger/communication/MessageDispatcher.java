package io.pointsledger.communication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.ledger.WriteBatcher;
import io.pointsledger.members.MemberAddresses;
import io.pointsledger.platform.PrintableText;
import io.pointsledger.platform.RetryBackoff;
import io.pointsledger.program.ProgramConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
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
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Sends the messages due. Each instance runs one loop per channel: a round takes tokens from the
 * channel's rate limit, claims as many due messages (skipping those another instance holds),
 * checks each member can still be reached on the channel, hands the rest to the channel's
 * provider, and records in one statement how each went. The loop goes on while rounds are full,
 * and starts again on the next poll. A failed message is due again after a back-off with jitter
 * until its retry window ends; then it is FAILED. Quiet hours are the member's as they are when a
 * message goes out: one claimed in them is put back untried until they end, and a retry that would
 * fall in them waits for their end.
 *
 * <p>Delivery is at least once: an instance that stops between a provider's answer and its
 * record leaves the message to be sent again when its claim lapses, under the same message id.
 */
@ApplicationScoped
public class MessageDispatcher {

    /**
     * How recently a group commit of several writes must have left for the tills to count as
     * busy: while they are, each channel sends at most claim-size-while-writes-busy messages a
     * poll, so that an announcement to a million members never takes what a sale peak needs.
     */
    static final Duration WRITES_BUSY_WINDOW = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(MessageDispatcher.class);
    private static final int ERROR_LENGTH_MAX = 500;
    private static final long PENDING_COUNT_MAX = 1_000_000;
    private static final Duration PENDING_MEASURE_INTERVAL = Duration.ofSeconds(10);
    /** How often an instance fails the due messages whose retry window ended, and how many per statement. */
    private static final Duration EXPIRY_INTERVAL = Duration.ofSeconds(30);
    private static final int EXPIRED_PER_STATEMENT = 10_000;
    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>\"',;:]+@[^\\s<>\"',;:]+");
    private static final Pattern PHONE = Pattern.compile("\\+?\\d[\\d ()-]{6,}\\d");

    private final MessageRepository repository;
    private final MemberAddresses addresses;
    private final MessageContents contents;
    private final UnsubscribeLinks unsubscribeLinks;
    private final ChannelRateLimits rateLimits;
    private final CommunicationConfig config;
    private final RetryBackoff backoff;
    private final Vertx vertx;
    private final WriteBatcher writes;
    private final Clock clock;
    private final ZoneId timeZone;
    private final Map<ContactChannel, ChannelSender> senders = new EnumMap<>(ContactChannel.class);
    private final Set<ContactChannel> sending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean failingExpired = new AtomicBoolean();
    private final Map<ContactChannel, Map<MessageStatus, Counter>> outcomes = new EnumMap<>(ContactChannel.class);
    private final Map<ContactChannel, AtomicLong> pending = new EnumMap<>(ContactChannel.class);
    private final Map<ContactChannel, Counter> deferred = new EnumMap<>(ContactChannel.class);
    private long pollTimerId;
    private long measureTimerId;
    private long expiryTimerId;

    MessageDispatcher(MessageRepository repository, MemberAddresses addresses, MessageContents contents,
            UnsubscribeLinks unsubscribeLinks, ChannelRateLimits rateLimits, CommunicationConfig config, Vertx vertx,
            Instance<ChannelSender> channelSenders, MeterRegistry registry, Clock clock, ProgramConfig program, WriteBatcher writes) {
        this.repository = repository;
        this.addresses = addresses;
        this.contents = contents;
        this.unsubscribeLinks = unsubscribeLinks;
        this.rateLimits = rateLimits;
        this.config = config;
        this.backoff = new RetryBackoff(config.dispatch().retryBackoffInitial(), config.dispatch().retryBackoffMax());
        checkClaimOutlastsRound(config);
        this.vertx = vertx;
        this.clock = clock;
        this.writes = writes;
        this.timeZone = program.timeZone();
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
            deferred.put(channel, Counter.builder("ledger.messages.deferred")
                    .description("Messages claimed in their member's quiet hours (chosen after the message was planned) and put "
                            + "back untried until they end, by channel")
                    .tag("channel", channel.name()).register(registry));
            AtomicLong count = new AtomicLong();
            pending.put(channel, count);
            Gauge.builder("ledger.messages.pending", count, AtomicLong::get)
                    .description("Messages to members not yet sent nor given up, by channel, as last measured (counted up to 1 000 000)")
                    .tag("channel", channel.name()).register(registry);
        }
    }

    /** The channels whose provider is configured: messages on the others wait, and hold nothing back. */
    public List<ContactChannel> sendingChannels() {
        return senders.values().stream().filter(ChannelSender::configured).map(ChannelSender::channel).toList();
    }

    void start(@Observes StartupEvent startup) {
        stopped.set(false);
        pollTimerId = vertx.setPeriodic(config.dispatch().pollInterval().toMillis(), tick -> senders.keySet().forEach(this::serve));
        measureTimerId = vertx.setPeriodic(PENDING_MEASURE_INTERVAL.toMillis(), tick -> repository.pending(PENDING_COUNT_MAX)
                .subscribe().with(counts -> pending.forEach((channel, count) -> count.set(counts.getOrDefault(channel, 0L))),
                        failure -> LOG.debugf("Pending messages not measured: %s", failure)));
        expiryTimerId = vertx.setPeriodic(EXPIRY_INTERVAL.toMillis(), tick -> failExpired());
    }

    /** Fails the messages whose retry window ended, all of them, a statement at a time; one run at a time. */
    void failExpired() {
        if (!failingExpired.compareAndSet(false, true)) {
            return;
        }
        Multi.createBy().repeating().uni(() -> repository.failExpired(EXPIRED_PER_STATEMENT))
                .whilst(failed -> failed == EXPIRED_PER_STATEMENT && !stopped.get())
                .collect().last()
                .eventually(() -> failingExpired.set(false))
                .subscribe().with(last -> { }, failure -> LOG.debugf("Expired messages not failed: %s", failure));
    }

    /** Claims no more; what is in flight is recorded if it ends in time, else sent again when its claim lapses. */
    void stop(@Observes ShutdownEvent shutdown) {
        stopped.set(true);
        vertx.cancelTimer(pollTimerId);
        vertx.cancelTimer(measureTimerId);
        vertx.cancelTimer(expiryTimerId);
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

    /** Whether this instance's write path is busy: sending, and planning, give way to it. */
    boolean givingWay() {
        return writes.busyWithin(WRITES_BUSY_WINDOW);
    }

    /**
     * One round on a channel: true when it was full (more may be due and the rate allows more). A
     * round that has not ended when its claim lapses (PostgreSQL not answering) is given up, so
     * that the loop cannot stop for good. While the write path is busy, a round is small and
     * never full: the next one waits for the poll.
     */
    private Uni<Boolean> round(ChannelSender sender) {
        ContactChannel channel = sender.channel();
        boolean givingWay = givingWay();
        int wanted = Math.min(givingWay ? config.dispatch().claimSizeWhileWritesBusy() : config.dispatch().claimSize(),
                sender.roundSizeMax());
        int rate = ratePerSecond(channel);
        UUID claimToken = UUID.randomUUID();
        return rateLimits.take(channel, rate, wanted)
                .flatMap(granted -> granted == 0 ? Uni.createFrom().item(false)
                        : repository.claimDue(channel, granted, config.dispatch().claimLease(), claimToken)
                                .call(claimed -> rateLimits.giveBack(channel, rate, granted - claimed.size()))
                                .flatMap(claimed -> claimed.isEmpty() ? Uni.createFrom().item(false)
                                        : sendAll(sender, claimed)
                                                .flatMap(attempted -> repository.record(claimToken, attempted.outcomes())
                                                        .call(() -> repository.defer(claimToken, attempted.deferrals()))
                                                        .call(() -> rateLimits.giveBack(channel, rate, attempted.deferrals().size()))
                                                        .invoke(() -> deferred.get(channel).increment(attempted.deferrals().size())))
                                                .invoke(statuses -> statuses.forEach(status -> outcomes.get(channel).get(status).increment()))
                                                // Giving way, a round never counts as full: the next waits for the poll.
                                                .map(statuses -> !givingWay && claimed.size() == wanted)))
                .ifNoItem().after(roundTimeout()).fail();
    }

    /**
     * A round that has not ended by then is given up (PostgreSQL not answering), well before its
     * claim lapses and another instance may take its messages: a margin of two request timeouts.
     */
    private Duration roundTimeout() {
        return config.dispatch().claimLease().minus(config.dispatch().requestTimeout().multipliedBy(2));
    }

    /**
     * A round's provider calls come in waves (email: round size over concurrent connections; an
     * HTTP provider: one wave of requests, and one more per halving of a refused request), each at
     * most a request timeout long: the round must end
     * before it is given up, or its messages would be sent again while their first sending is open.
     */
    private static void checkClaimOutlastsRound(CommunicationConfig config) {
        Duration timeout = config.dispatch().requestTimeout();
        long waves = Math.max(EmailSender.WAVES_PER_ROUND, Math.max(HttpProviderSender.wavesMax(config.sms().batchSizeMax()),
                HttpProviderSender.wavesMax(config.push().batchSizeMax())));
        Duration longest = timeout.multipliedBy(waves);
        Duration roundTimeout = config.dispatch().claimLease().minus(timeout.multipliedBy(2));
        if (roundTimeout.compareTo(longest) <= 0) {
            throw new IllegalStateException("points-ledger.communication.dispatch.claim-lease (" + config.dispatch().claimLease()
                    + ") must be longer than " + longest.plus(timeout.multipliedBy(2)) + ": " + waves
                    + " waves of provider calls of request-timeout each, and a margin of two more");
        }
    }

    private int ratePerSecond(ContactChannel channel) {
        return switch (channel) {
            case EMAIL -> config.email().ratePerSecond();
            case SMS -> config.sms().ratePerSecond();
            case PUSH -> config.push().ratePerSecond();
        };
    }

    /** A round's messages: each one's outcome, or held back untried for the member's quiet hours. */
    private record Attempted(List<MessageRepository.Outcome> outcomes, List<MessageRepository.Deferral> deferrals) {
    }

    /**
     * The outcome of each claimed message: skipped when its member cannot be reached, held back
     * when the member's quiet hours (as they are now) have begun, else as its provider answered.
     */
    private Uni<Attempted> sendAll(ChannelSender sender, List<MessageRepository.Claimed> claimed) {
        ZonedDateTime now = clock.instant().atZone(timeZone);
        return addresses.of(claimed.stream().map(MessageRepository.Claimed::memberId).distinct().toList()).flatMap(found -> {
            List<MessageRepository.Outcome> outcomes = new ArrayList<>();
            List<MessageRepository.Deferral> deferrals = new ArrayList<>();
            List<ChannelSender.Outgoing> outgoing = new ArrayList<>();
            Map<UUID, MessageRepository.Claimed> claimedById = new HashMap<>();
            for (MessageRepository.Claimed message : claimed) {
                MemberAddresses.Address address = found.get(message.memberId());
                String skipped = skipReason(sender.channel(), message, address);
                Duration quiet = skipped == null ? DeliveryChannels.wait(message.quietHours(), now, Duration.ZERO) : Duration.ZERO;
                MessageText text = skipped == null && quiet.isZero() ? wording(message, address) : null;
                if (skipped != null) {
                    outcomes.add(new MessageRepository.Outcome(message.memberId(), message.messageId(), MessageStatus.SKIPPED,
                            Duration.ZERO, skipped));
                } else if (!quiet.isZero()) {
                    deferrals.add(new MessageRepository.Deferral(message.memberId(), message.messageId(),
                            now.plus(quiet).toOffsetDateTime()));
                } else if (text == null) {
                    outcomes.add(new MessageRepository.Outcome(message.memberId(), message.messageId(), MessageStatus.FAILED,
                            Duration.ZERO, "the message cannot be worded from its event"));
                } else {
                    claimedById.put(message.messageId(), message);
                    outgoing.add(new ChannelSender.Outgoing(message.messageId(), message.memberId(), addressOn(sender.channel(), address),
                            text, unsubscribeUrl(message.memberId(), sender.channel())));
                }
            }
            if (outgoing.isEmpty()) {
                return Uni.createFrom().item(new Attempted(outcomes, deferrals));
            }
            return sender.send(outgoing).map(results -> {
                results.forEach(result -> outcomes.add(outcome(result, claimedById.get(result.messageId()))));
                return new Attempted(outcomes, deferrals);
            });
        });
    }

    /**
     * The message's words; null when its event lacks what they need (a malformed notification):
     * that message fails alone, rather than the round it came in and every round after it.
     */
    private MessageText wording(MessageRepository.Claimed message, MemberAddresses.Address address) {
        try {
            return contents.text(message, address.language());
        } catch (RuntimeException malformed) {
            LOG.warnf("Message %s (%s) cannot be worded: %s", message.messageId(), message.kind(), malformed.toString());
            return null;
        }
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

    /**
     * A provider's or the network's words without the addresses they may quote (an SMTP server
     * refusing "<kim@example.com>"): the delivery log is read by operators, and an address is
     * personal data kept encrypted everywhere else.
     */
    static String redacted(String error) {
        return ADDRESS.matcher(PHONE.matcher(error).replaceAll("<phone>")).replaceAll("<address>");
    }

    private MessageRepository.Outcome outcome(ChannelSender.Result result, MessageRepository.Claimed message) {
        if (result.sent()) {
            return new MessageRepository.Outcome(message.memberId(), message.messageId(), MessageStatus.SENT, Duration.ZERO, null);
        }
        // Redacted first: an address cut in two by the length bound would leave half of it.
        String error = PrintableText.sanitized(redacted(result.error()), ERROR_LENGTH_MAX);
        return result.permanent()
                ? new MessageRepository.Outcome(message.memberId(), message.messageId(), MessageStatus.FAILED, Duration.ZERO, error)
                : new MessageRepository.Outcome(message.memberId(), message.messageId(), MessageStatus.PENDING,
                        DeliveryChannels.wait(message.quietHours(), clock.instant().atZone(timeZone), backoff.after(message.attempts())),
                        error);
    }
}
