package io.pointsledger.communication;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A channel whose provider takes messages over HTTP: {@code POST <url>} with
 * {@code {"messages": [{"messageId", "memberId", "to", "title", "text", "unsubscribeUrl"}]}}, up to
 * batch-size-max per request. A 2xx answer takes the whole request; 400 or 422 refuses it as
 * malformed, and its halves are posted again until the message at fault is alone, refused for
 * good; anything else, or no answer in time, is tried again later. Providers drop repeats by messageId.
 */
abstract class HttpProviderSender implements ChannelSender {

    private static final String USER_AGENT = "points-ledger-messages/1";

    private final CommunicationConfig.Provider provider;
    private final Duration timeout;
    private final HttpClient client;

    HttpProviderSender(CommunicationConfig.Provider provider, Duration timeout, Vertx vertx) {
        this.provider = provider;
        this.timeout = timeout;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) timeout.toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout((int) timeout.toMillis())
                .setMaxPoolSize(provider.concurrentMax())
                .setKeepAlive(true));
    }

    /** The message as the provider gets it. */
    abstract JsonObject body(Outgoing message);

    @Override
    public boolean configured() {
        return provider.url().isPresent();
    }

    @Override
    public int roundSizeMax() {
        return provider.batchSizeMax() * provider.concurrentMax();
    }

    @Override
    public Uni<List<Result>> send(List<Outgoing> messages) {
        List<List<Outgoing>> requests = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += provider.batchSizeMax()) {
            requests.add(messages.subList(from, Math.min(messages.size(), from + provider.batchSizeMax())));
        }
        return Multi.createFrom().iterable(requests)
                .onItem().transformToUni(this::guarded).merge(provider.concurrentMax())
                .collect().in(ArrayList<Result>::new, List::addAll)
                .map(List::copyOf);
    }

    /**
     * Posts the messages; when the provider refuses the request as malformed (400, 422), posts each
     * half again, down to single messages, so that one bad number fails its own message only.
     */
    private Uni<List<Result>> post(List<Outgoing> messages) {
        return postOnce(messages).flatMap(results -> {
            boolean refused = !results.isEmpty() && results.get(0).permanent();
            if (!refused || messages.size() == 1) {
                return Uni.createFrom().item(results);
            }
            int half = messages.size() / 2;
            // Both halves at once: a refused request of n messages takes 1 + log2(n) waves, not n.
            return Uni.combine().all().unis(post(messages.subList(0, half)), post(messages.subList(half, messages.size())))
                    .with((first, second) -> {
                        List<Result> both = new ArrayList<>(first);
                        both.addAll(second);
                        return both;
                    });
        });
    }

    private Uni<List<Result>> postOnce(List<Outgoing> messages) {
        JsonArray batch = new JsonArray();
        messages.forEach(message -> batch.add(body(message)));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(provider.url().orElseThrow())
                .setFollowRedirects(false).setIdleTimeout(timeout.toMillis())
                .putHeader("content-type", "application/json")
                .putHeader("user-agent", USER_AGENT);
        provider.apiKey().ifPresent(key -> options.putHeader("authorization", "Bearer " + key));
        AtomicReference<HttpClientRequest> open = new AtomicReference<>();
        return client.request(options)
                .invoke(open::set)
                .flatMap(request -> request.send(new JsonObject().put("messages", batch).encode()))
                .flatMap(response -> response.handler(ignored -> { }).end().replaceWith(response.statusCode()))
                .ifNoItem().after(timeout).fail()
                .onFailure().invoke(() -> reset(open))
                .onCancellation().invoke(() -> reset(open))
                .map(status -> results(messages, status, "provider answered " + status))
                .onFailure().recoverWithItem(failure -> results(messages, 0, failure.toString()));
    }

    /** Never fails: a body that cannot be made fails its request alone. */
    private Uni<List<Result>> guarded(List<Outgoing> messages) {
        return Uni.createFrom().deferred(() -> post(messages))
                .onFailure().recoverWithItem(failure -> results(messages, 0, failure.toString()));
    }

    /** A request given up (timed out, or its round given up) loses its connection: it must not keep a place in the pool. */
    private static void reset(AtomicReference<HttpClientRequest> open) {
        HttpClientRequest request = open.get();
        if (request != null) {
            request.reset();
        }
    }

    /** Waves of requests a round may take: one, and when a request is refused as malformed, one per halving. */
    static int wavesMax(int batchSizeMax) {
        return 1 + (32 - Integer.numberOfLeadingZeros(Math.max(1, batchSizeMax - 1)));
    }

    private static List<Result> results(List<Outgoing> messages, int status, String error) {
        boolean sent = status >= 200 && status < 300;
        boolean permanent = status == 400 || status == 422;
        return messages.stream().map(message -> sent ? Result.sent(message.messageId())
                : Result.failed(message.messageId(), permanent, error)).toList();
    }
}
