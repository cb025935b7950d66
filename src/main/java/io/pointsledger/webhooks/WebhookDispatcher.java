package io.pointsledger.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pointsledger.members.PersonalDataCipher;
import io.pointsledger.platform.PrintableText;
import io.pointsledger.platform.RetryBackoff;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Calls the receivers. On a timer, each instance looks for webhooks with deliveries due and serves
 * each in a loop of its own: it claims the webhook's oldest due deliveries (skipping those another
 * instance holds), posts each signed event, a bounded number at a time, and records in one
 * statement how each went: delivered on a 2xx answer; otherwise due again after an exponential
 * back-off with jitter, until its retry window runs out and it is DEAD. A loop goes on while it
 * finds work, for a bounded time, then gives its turn to the next webhook: so a receiver that
 * hangs holds back its own deliveries only, and a busy one does not keep the others waiting.
 *
 * <p>A delivery is at least once: an instance that stops between a receiver's answer and its
 * record leaves the delivery to be tried again when its claim lapses. Receivers tell a repeat by
 * the {@code webhook-id} header, the same on every attempt of a delivery. No order is kept
 * between deliveries; each event carries its own times.
 *
 * <p>Where private addresses are refused (production), the host is resolved before each attempt,
 * off the event loop, and the request goes to the address checked, not to whatever a second DNS
 * answer would say: a name cannot be made to point at this machine after the webhook was made.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(3);
    private static final Duration STOP_POLL_INTERVAL = Duration.ofMillis(20);
    /** How long a webhook's loop goes on before it gives its turn to the next webhook due. */
    private static final Duration TURN = Duration.ofSeconds(5);
    /** A claim is this many rounds of a webhook's requests: enough to keep its requests busy between claims. */
    private static final int ROUNDS_PER_CLAIM = 2;
    /** The pending count gives up counting here: enough to alert on, cheap to measure. */
    private static final long PENDING_COUNT_MAX = 100_000;
    private static final Duration PENDING_MEASURE_INTERVAL = Duration.ofSeconds(10);
    private static final int ERROR_LENGTH_MAX = 500;
    private static final String USER_AGENT = "points-ledger-webhooks/1";
    private static final int HTTPS_PORT = 443;
    private static final int HTTP_PORT = 80;

    private final WebhookRepository repository;
    private final PersonalDataCipher cipher;
    private final WebhooksConfig config;
    private final Vertx vertx;
    private final Clock clock;
    private final HttpClient client;
    /** The webhooks this instance serves now, each by a loop of its own. */
    private final Set<UUID> serving = ConcurrentHashMap.newKeySet();
    /** Webhooks whose last claim had no attempt delivered: served one round a turn, never in every loop. */
    private final Set<UUID> failing = ConcurrentHashMap.newKeySet();
    /**
     * When a failing webhook may be served again (System.nanoTime): one round per poll interval,
     * so that a receiver refusing at once is not called as fast as its refusals come back.
     */
    private final Map<UUID, Long> restingUntilNanos = new ConcurrentHashMap<>();
    private final AtomicBoolean looking = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private final Map<WebhookDeliveryStatus, Counter> outcomes = new EnumMap<>(WebhookDeliveryStatus.class);
    private final Timer requests;
    private long pollTimerId;
    private long measureTimerId;

    WebhookDispatcher(WebhookRepository repository, PersonalDataCipher cipher, WebhooksConfig config, Vertx vertx, Clock clock,
            MeterRegistry registry) {
        this.repository = repository;
        this.cipher = cipher;
        this.config = config;
        this.vertx = vertx;
        this.clock = clock;
        checkClaimOutlastsBatch(config);
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.requestTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout((int) config.requestTimeout().toMillis())
                // Per host: webhooks on one host share the pool; the loops bound the requests per webhook.
                .setMaxPoolSize(config.concurrentRequestsMax())
                .setKeepAlive(true));
        for (WebhookDeliveryStatus status : WebhookDeliveryStatus.values()) {
            outcomes.put(status, Counter.builder("ledger.webhooks.attempts")
                    .description("Webhook delivery attempts, by the status they left the delivery in (PENDING: failed, tried again later)")
                    .tag("status", status.name()).register(registry));
        }
        this.requests = Timer.builder("ledger.webhooks.request").description("Time a receiver took to answer a webhook delivery")
                .register(registry);
        Gauge.builder("ledger.webhooks.pending", pending, AtomicLong::get)
                .description("Webhook deliveries not yet delivered nor dead, as last measured (counted up to 100 000)")
                .register(registry);
    }

    void start(@Observes StartupEvent startup) {
        stopped.set(false);
        pollTimerId = vertx.setPeriodic(config.pollInterval().toMillis(), tick -> serveDueWebhooks());
        measureTimerId = vertx.setPeriodic(PENDING_MEASURE_INTERVAL.toMillis(), tick -> repository.pendingCount(PENDING_COUNT_MAX)
                .subscribe().with(pending::set, failure -> LOG.debugf("Pending webhook deliveries not measured: %s", failure)));
    }

    /**
     * A claim takes {@link #ROUNDS_PER_CLAIM} rounds of requests, each at most the request timeout
     * after a DNS answer as long: the claim must outlast that, or deliveries would be claimed
     * again, by another instance, while their first attempt is still open.
     */
    private static void checkClaimOutlastsBatch(WebhooksConfig config) {
        Duration batchMax = config.requestTimeout().multipliedBy(2L * ROUNDS_PER_CLAIM + 1);
        if (config.claimLease().compareTo(batchMax) <= 0) {
            throw new IllegalStateException("points-ledger.webhooks.claim-lease (" + config.claimLease() + ") must be longer than "
                    + batchMax + ": the longest a claim of a webhook's deliveries, " + ROUNDS_PER_CLAIM
                    + " rounds of requests of request-timeout each, can take");
        }
        if (config.concurrentRequestsMax() < config.requestsPerWebhookMax()) {
            throw new IllegalStateException("points-ledger.webhooks.concurrent-requests-max must be at least requests-per-webhook-max");
        }
    }

    /**
     * Claims no more and waits, a bounded time, for the loops' attempts in flight to end and be
     * recorded before it closes the client; what is still open then is tried again once its claim
     * lapses. Shutdown observers run on the main thread, never an event loop: the wait is safe.
     */
    void stop(@Observes ShutdownEvent shutdown) {
        stopped.set(true);
        vertx.cancelTimer(pollTimerId);
        vertx.cancelTimer(measureTimerId);
        long deadlineNanos = System.nanoTime() + STOP_WAIT.toNanos();
        while (!serving.isEmpty() && System.nanoTime() - deadlineNanos < 0) {
            try {
                Thread.sleep(STOP_POLL_INTERVAL.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        client.close().subscribe().with(ignored -> { }, failure -> { });
    }

    /** Loops one instance runs at once: each has at most requests-per-webhook-max requests open. */
    private int loopsMax() {
        return Math.max(1, config.concurrentRequestsMax() / config.requestsPerWebhookMax());
    }

    /**
     * Starts a loop for each webhook with deliveries due that has none, while there is room for
     * one; on the timer, and as soon as a loop ends. A webhook whose last claim had no 2xx answer
     * (its receiver down, hanging or refusing) may take every loop but one: a healthy webhook is
     * always served.
     */
    private void serveDueWebhooks() {
        int room = loopsMax() - serving.size();
        if (stopped.get() || room <= 0 || !looking.compareAndSet(false, true)) {
            return;
        }
        // The flag is lowered once the loops are started, not before: two lookers would start more loops than there is room for.
        repository.dueWebhooks(room + serving.size())
                .ifNoItem().after(config.claimLease()).fail()
                .subscribe().with(due -> {
                    try {
                        serveSome(due);
                    } finally {
                        looking.set(false);
                    }
                }, failure -> {
                    looking.set(false);
                    LOG.debugf("No webhook deliveries looked for: %s", failure);
                });
    }

    private void serveSome(List<UUID> due) {
        long now = System.nanoTime();
        restingUntilNanos.values().removeIf(until -> now - until >= 0);
        for (UUID webhookId : due) {
            if (serving.size() >= loopsMax()) {
                return;
            }
            boolean failingRoomLeft = serving.stream().filter(failing::contains).count() < loopsMax() - 1L;
            boolean mayServe = !failing.contains(webhookId) || failingRoomLeft && !restingUntilNanos.containsKey(webhookId);
            if (!serving.contains(webhookId) && mayServe) {
                serve(webhookId);
            }
        }
    }

    private void serve(UUID webhookId) {
        if (!serving.add(webhookId)) {
            return;
        }
        long turnEndsNanos = System.nanoTime() + TURN.toNanos();
        Multi.createBy().repeating().uni(() -> dispatch(webhookId))
                .whilst(claim -> claim.full() && claim.anyDelivered() && !stopped.get() && System.nanoTime() - turnEndsNanos < 0)
                .collect().last()
                .eventually(() -> {
                    if (failing.contains(webhookId)) {
                        restingUntilNanos.put(webhookId, System.nanoTime() + config.pollInterval().toNanos());
                    }
                    serving.remove(webhookId);
                    serveDueWebhooks();
                })
                .subscribe().with(last -> { }, failure -> LOG.warnf("Deliveries of webhook %s not dispatched: %s", webhookId,
                        failure.toString()));
    }

    /** How a claim went: whether it was full (more may be due) and whether any receiver answered 2xx. */
    private record Claim(boolean full, boolean anyDelivered) {
    }

    /**
     * One claim of the webhook's due deliveries, attempted and recorded. A claim ends by itself
     * (each request within its timeout); one that has not ended when it lapses (PostgreSQL not
     * answering) is given up, so that the loop cannot stop for good. A webhook that delivered
     * nothing is claimed one round at a time until it does.
     */
    private Uni<Claim> dispatch(UUID webhookId) {
        UUID claimToken = UUID.randomUUID();
        int claimSize = config.requestsPerWebhookMax() * (failing.contains(webhookId) ? 1 : ROUNDS_PER_CLAIM);
        return repository.claimDue(webhookId, claimSize, config.claimLease(), claimToken)
                .flatMap(claimed -> claimed.isEmpty() ? Uni.createFrom().item(new Claim(false, false))
                        : attemptAll(webhookId, claimed)
                                .invoke(attempted -> remember(webhookId, attempted))
                                .flatMap(attempted -> repository.recordOutcomes(claimToken, attempted))
                                .invoke(statuses -> statuses.forEach(status -> outcomes.get(status).increment()))
                                .map(statuses -> new Claim(claimed.size() == claimSize, !failing.contains(webhookId))))
                .ifNoItem().after(config.claimLease()).fail();
    }

    /** A webhook is failing from a claim none of whose attempts was delivered until one that was. */
    private void remember(UUID webhookId, List<WebhookRepository.Outcome> attempted) {
        if (attempted.stream().anyMatch(WebhookRepository.Outcome::delivered)) {
            failing.remove(webhookId);
        } else {
            failing.add(webhookId);
        }
    }

    private Uni<List<WebhookRepository.Outcome>> attemptAll(UUID webhookId, List<WebhookRepository.ClaimedDelivery> claimed) {
        return repository.signingSecrets(List.of(webhookId)).map(this::keys).flatMap(keys -> Multi.createFrom().iterable(claimed)
                .onItem().transformToUni(delivery -> attempt(delivery, keys.getOrDefault(delivery.webhookId(), List.of())))
                .merge(config.requestsPerWebhookMax())
                .collect().asList());
    }

    /** Each webhook's keys; none for a webhook whose secrets cannot be read (a key removed), whose deliveries then fail alone. */
    private Map<UUID, List<byte[]>> keys(Map<UUID, List<String>> ciphertexts) {
        Map<UUID, List<byte[]>> keys = new HashMap<>();
        ciphertexts.forEach((webhookId, stored) -> {
            try {
                List<byte[]> decrypted = new ArrayList<>();
                stored.forEach(ciphertext -> decrypted.add(WebhookSignatures.keyOf(cipher.decrypt(ciphertext, webhookId,
                        WebhookService.SECRET_FIELD))));
                keys.put(webhookId, decrypted);
            } catch (RuntimeException unreadable) {
                LOG.errorf("The signing secrets of webhook %s cannot be read: %s", webhookId, unreadable.toString());
            }
        });
        return keys;
    }

    /** One attempt; never fails: a receiver's refusal or silence, or a URL that cannot be called, is an outcome like a 2xx. */
    private Uni<WebhookRepository.Outcome> attempt(WebhookRepository.ClaimedDelivery delivery, List<byte[]> keys) {
        long startNanos = System.nanoTime();
        return Uni.createFrom().deferred(() -> keys.isEmpty()
                        ? Uni.createFrom().item(failed(delivery, null, "no signing secret can be read"))
                        : destination(delivery).flatMap(server -> post(delivery, keys, server)))
                .onFailure().recoverWithItem(failure -> failed(delivery, null, failure.toString()))
                .invoke(() -> requests.record(Duration.ofNanos(System.nanoTime() - startNanos)));
    }

    /**
     * Where to connect: null (as the URL says) where private hosts are allowed; else an address the
     * host resolves to, each of them checked, resolved off the event loop (the JVM caches answers).
     */
    private Uni<SocketAddress> destination(WebhookRepository.ClaimedDelivery delivery) {
        if (config.allowPrivateHosts()) {
            return Uni.createFrom().nullItem();
        }
        URI url = URI.create(delivery.url());
        return Uni.createFrom().item(() -> {
            try {
                InetAddress[] addresses = InetAddress.getAllByName(url.getHost());
                for (InetAddress address : addresses) {
                    if (WebhookUrls.isPrivateAddress(address)) {
                        throw new IllegalStateException(url.getHost() + " resolves to a private address, which is not called");
                    }
                }
                int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? HTTPS_PORT : HTTP_PORT;
                return SocketAddress.inetSocketAddress(port, addresses[0].getHostAddress());
            } catch (UnknownHostException unknown) {
                throw new IllegalStateException("unknown host " + url.getHost());
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).emitOn(context())
                .ifNoItem().after(config.requestTimeout()).failWith(() -> new IllegalStateException("no DNS answer for " + url.getHost()));
    }

    private java.util.concurrent.Executor context() {
        io.vertx.core.Context context = vertx.getDelegate().getOrCreateContext();
        return command -> context.runOnContext(ignored -> command.run());
    }

    private Uni<WebhookRepository.Outcome> post(WebhookRepository.ClaimedDelivery delivery, List<byte[]> keys, SocketAddress server) {
        String messageId = delivery.deliveryId().toString();
        long timestamp = clock.instant().getEpochSecond();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(delivery.url())
                .setFollowRedirects(false).setIdleTimeout(config.requestTimeout().toMillis())
                .putHeader("content-type", "application/json")
                .putHeader("user-agent", USER_AGENT)
                .putHeader("webhook-id", messageId)
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", WebhookSignatures.signatureHeader(messageId, timestamp, delivery.payload(), keys))
                .putHeader("points-ledger-event-id", delivery.eventId().toString())
                .putHeader("points-ledger-event-type", delivery.eventType());
        if (server != null) {
            options.setServer(server);
        }
        AtomicReference<HttpClientRequest> open = new AtomicReference<>();
        return client.request(options)
                .invoke(open::set)
                .flatMap(request -> request.send(delivery.payload()))
                // The answer's body is read and dropped: nothing in it is kept, and a large one must not be held.
                .flatMap(response -> response.handler(ignored -> { }).end().replaceWith(response.statusCode()))
                .ifNoItem().after(config.requestTimeout()).fail()
                // A receiver still sending when the time is up loses the connection: it must not keep a place in the pool.
                .onFailure().invoke(() -> {
                    HttpClientRequest request = open.get();
                    if (request != null) {
                        request.reset();
                    }
                })
                .map(status -> status >= 200 && status < 300 ? delivered(delivery, status) : failed(delivery, status, "answered " + status));
    }

    private static WebhookRepository.Outcome delivered(WebhookRepository.ClaimedDelivery delivery, int status) {
        return new WebhookRepository.Outcome(delivery.deliveryId(), true, status, null, Duration.ZERO);
    }

    private WebhookRepository.Outcome failed(WebhookRepository.ClaimedDelivery delivery, Integer status, String error) {
        return new WebhookRepository.Outcome(delivery.deliveryId(), false, status, PrintableText.sanitized(error, ERROR_LENGTH_MAX),
                backoff(delivery.attempts()));
    }

    /** The wait after the {@code attempts}-th failure ({@link RetryBackoff}). */
    Duration backoff(int attempts) {
        return new RetryBackoff(config.retryBackoffInitial(), config.retryBackoffMax()).after(attempts);
    }
}
