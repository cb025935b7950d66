package io.pointsledger.ledger;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gathers concurrent ledger writes for at most {@code maxWait} or {@code maxSize} writes and sends
 * them to {@code ledger_post_batch} in one round trip and one commit. Each write still gets its
 * own result: a neighbour's refusal is not its business. If the round trip itself fails (the
 * connection lost, PostgreSQL refusing connections, the round-trip deadline), every write of the
 * batch fails with it, once, and answers 503: the batch committed as a whole or not at all, so a
 * client's retry with its key either replays its write or applies it once.
 */
@ApplicationScoped
public class WriteBatcher {

    private final LedgerRepository repository;
    private final Vertx vertx;
    private final int maxSize;
    private final long maxWaitMillis;
    private final DistributionSummary batchSizes;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean timerArmed = new AtomicBoolean();

    WriteBatcher(LedgerRepository repository, Vertx vertx, BatchingConfig config, MeterRegistry registry) {
        this.repository = repository;
        this.vertx = vertx;
        this.maxSize = config.maxSize();
        this.maxWaitMillis = config.maxWaitMillis();
        this.batchSizes = DistributionSummary.builder("ledger.write.batch.size")
                .description("Writes committed together by one ledger_post_batch call")
                .register(registry);
    }

    /** One write's request: everything ledger_post_batch needs for it. */
    record Request(Posting posting, JsonObject rules, Duration keyRetention, OffsetDateTime now) {
    }

    private record Pending(Request request, UniEmitter<? super PostingResult> emitter) {
    }

    Uni<PostingResult> submit(Request request) {
        return Uni.createFrom().emitter(emitter -> {
            queue.add(new Pending(request, emitter));
            if (queued.incrementAndGet() >= maxSize) {
                flush();
            } else if (timerArmed.compareAndSet(false, true)) {
                vertx.setTimer(maxWaitMillis, timer -> {
                    timerArmed.set(false);
                    flush();
                });
            }
        });
    }

    private void flush() {
        List<Pending> batch = new ArrayList<>(maxSize);
        Pending next;
        while (batch.size() < maxSize && (next = queue.poll()) != null) {
            batch.add(next);
            queued.decrementAndGet();
        }
        if (!queue.isEmpty() && timerArmed.compareAndSet(false, true)) {
            // Writes that arrived after this batch filled up get their own window.
            vertx.setTimer(maxWaitMillis, timer -> {
                timerArmed.set(false);
                flush();
            });
        }
        if (batch.isEmpty()) {
            return;
        }
        batchSizes.record(batch.size());
        Request first = batch.get(0).request();
        List<Posting> postings = batch.stream().map(pending -> pending.request().posting()).toList();
        // Deferred, so that a failure while the call is being built reaches every write of the
        // batch as well, instead of escaping to whoever called flush with the others unanswered.
        Uni.createFrom().deferred(() -> repository.postBatch(postings, first.rules(), first.keyRetention(), first.now()))
                .subscribe().with(
                        results -> {
                            for (int index = 0; index < batch.size(); index++) {
                                batch.get(index).emitter().complete(results.get(index));
                            }
                        },
                        failure -> batch.forEach(pending -> pending.emitter().fail(failure)));
    }
}
