package io.pointsledger.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Adaptive group commit. A write goes to the ledger writer at once when no batch is in
 * flight; while one is, the writes that arrive wait for it to return and then go together, up
 * to {@code maxSize}. So a lone write pays no waiting, and under load a batch holds what arrived
 * during one round trip: the batch size follows the load, with no timer to tune.
 *
 * <p>Each write still gets its own result: a neighbour's refusal is not its business. If the
 * round trip itself fails (the connection lost, PostgreSQL refusing connections, the round-trip
 * deadline), every write of the batch fails with it, once, and answers 503: the batch committed
 * as a whole or not at all, so a client's retry with its key either replays its write or applies
 * it once. Beyond {@code queueLimit} waiting writes a write is refused at once with 503 and
 * Retry-After, so memory stays bounded when PostgreSQL falls behind.
 */
@ApplicationScoped
public class WriteBatcher {

    /**
     * One batch in flight at a time, so that a member's writes apply in arrival order. Within a
     * batch, the ledger writer applies a member's writes in arrival order. Across two batches in
     * flight on two connections the order would be whichever transaction locks the member's
     * account first, and the batcher cannot keep a member out of a second batch while the first
     * is in flight: a capture, a void or a reversal names a hold or a transfer, and its member is
     * known only to PostgreSQL. Two batches could also deadlock: the write-by-write path takes an
     * account lock and stores an idempotency key per write, so two batches sharing a key (the
     * same key sent twice, for two members) could each wait for the other. One batch in flight
     * keeps neither risk and still uses the round trip fully: everything that arrives during it
     * goes in the next, and the other 31 connections of the pool stay free for reads.
     *
     * <p>A batch past its round-trip deadline counts as returned: its writes answer 503 and the
     * next batch goes, while the late one may still commit in PostgreSQL. Those writes were never
     * acknowledged, so applying after later ones breaks no order a client saw; their clients'
     * retries with the same keys replay them or apply them once.
     */
    static final int BATCHES_IN_FLIGHT_MAX = 1;

    private static final Logger LOG = Logger.getLogger(WriteBatcher.class);

    private final LedgerWriter writer;
    private final Clock clock;
    private final int maxSize;
    private final int queueLimit;
    private final DistributionSummary batchSizes;
    private final Counter refusals;
    /** Guarded by {@code this}, held only to add or take writes: never across a call. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Guarded by {@code this}. */
    private int batchesInFlight;
    /**
     * A batch this large means writes are arriving several to a round trip: the write path is
     * near what one batch in flight carries, and work that can wait should. A pair of writes
     * meeting by chance under a light load does not count.
     */
    static final int BUSY_BATCH_SIZE = 4;
    private static final long LONG_AGO_NANOS = Duration.ofHours(1).toNanos();
    /** When a batch of at least BUSY_BATCH_SIZE writes last left (System.nanoTime): the write path was busy then. */
    private volatile long lastBusyNanos = System.nanoTime() - LONG_AGO_NANOS;

    WriteBatcher(LedgerWriter writer, BatchingConfig config, MeterRegistry registry, Clock clock) {
        this.writer = writer;
        this.clock = clock;
        this.maxSize = config.maxSize();
        this.queueLimit = config.queueLimit();
        this.batchSizes = DistributionSummary.builder("ledger.write.batch.size")
                .description("Writes committed together in one transaction of the ledger writer")
                .register(registry);
        this.refusals = Counter.builder("ledger.write.queue.refusals")
                .description("Writes refused with 503 because queue-limit writes were already waiting for a batch")
                .register(registry);
        Gauge.builder("ledger.write.queue.depth", this, WriteBatcher::queueDepth)
                .description("Writes waiting for the batch in flight to return")
                .register(registry);
        warnIfSet(config);
    }

    @SuppressWarnings("deprecation")
    private static void warnIfSet(BatchingConfig config) {
        if (config.maxWaitMillis().isPresent()) {
            LOG.warn("points-ledger.batching.max-wait-millis is ignored: a batch goes as soon as the one in flight returns");
        }
    }

    /** One write's request: everything the ledger writer needs for it. */
    record Request(Posting posting, Duration keyRetention) {
    }

    private record Pending(Request request, UniEmitter<? super PostingResult> emitter) {
    }

    /** Fails with SERVICE_UNAVAILABLE, at once, when queue-limit writes are already waiting. */
    Uni<PostingResult> submit(Request request) {
        return Uni.createFrom().emitter(emitter -> {
            if (!enqueue(new Pending(request, emitter))) {
                refusals.increment();
                emitter.fail(new ProblemException(ErrorCode.SERVICE_UNAVAILABLE, "Too many writes are waiting for "
                        + "PostgreSQL; retry after the Retry-After seconds with the same Idempotency-Key"));
                return;
            }
            sendNextBatch();
        });
    }

    synchronized int queueDepth() {
        return queue.size();
    }

    /**
     * Whether writes are waiting for a batch now, or a batch of at least {@link #BUSY_BATCH_SIZE}
     * writes left within {@code window}: the tills are sending several writes a round trip, and
     * background work on this instance should give way. Waiting writes count too, so that a batch
     * held up longer than the window (a checkpoint's slow commit) is not taken for a quiet moment.
     * Never, when writes are not batched.
     */
    public boolean busyWithin(Duration window) {
        return System.nanoTime() - lastBusyNanos < window.toNanos() || queueDepth() > 0;
    }

    private synchronized boolean enqueue(Pending pending) {
        if (queue.size() >= queueLimit) {
            return false;
        }
        queue.add(pending);
        return true;
    }

    /** The writes of the next batch, oldest first, or null while the batches in flight are at their maximum. */
    private synchronized List<Pending> takeBatch() {
        if (queue.isEmpty() || batchesInFlight >= BATCHES_IN_FLIGHT_MAX) {
            return null;
        }
        batchesInFlight++;
        List<Pending> batch = new ArrayList<>(Math.min(maxSize, queue.size()));
        while (batch.size() < maxSize && !queue.isEmpty()) {
            batch.add(queue.poll());
        }
        return batch;
    }

    private synchronized void batchReturned() {
        batchesInFlight--;
    }

    private void sendNextBatch() {
        List<Pending> batch = takeBatch();
        if (batch == null) {
            return;
        }
        batchSizes.record(batch.size());
        if (batch.size() >= BUSY_BATCH_SIZE) {
            lastBusyNanos = System.nanoTime();
        }
        Request first = batch.get(0).request();
        List<Posting> postings = batch.stream().map(pending -> pending.request().posting()).toList();
        // Deferred, so that a failure while the call is being built reaches every write of the
        // batch as well, instead of escaping to whoever submitted with the others unanswered.
        // The clock is read as the batch leaves, not as its first write arrived: the batch's
        // transfers are recorded at that time, and it decides which holds have expired.
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        Uni.createFrom().deferred(() -> writer.write(postings, first.keyRetention(), now))
                .subscribe().with(results -> answer(batch, results), failure -> fail(batch, failure));
    }

    /** The next batch goes before this one is answered, so that PostgreSQL is not kept waiting on our answers. */
    private void answer(List<Pending> batch, List<PostingResult> results) {
        try {
            batchReturned();
            sendNextBatch();
        } finally {
            for (int index = 0; index < batch.size(); index++) {
                batch.get(index).emitter().complete(results.get(index));
            }
        }
    }

    private void fail(List<Pending> batch, Throwable failure) {
        try {
            batchReturned();
            sendNextBatch();
        } finally {
            batch.forEach(pending -> pending.emitter().fail(failure));
        }
    }
}
