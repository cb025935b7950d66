package io.pointsledger.events;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * One consumer group of {@link InProcessBroker}: the messages of its topic, handed to its one
 * subscriber in order, as batches (payload: the list of the messages' payloads, as Kafka's batch
 * mode does). A batch is emitted only against a request and holds whatever arrived meanwhile, up
 * to {@code batchSizeMax}: a busy consumer gets larger batches, an idle one gets each message at
 * once. Acknowledging or failing a batch acknowledges or fails each of its messages.
 *
 * <p>The queue needs no bound of its own: the broker's outgoing side never has more than its
 * in-flight maximum unsettled, and a message stays unsettled until this group settled it.
 */
final class InProcessGroup implements Flow.Publisher<Message<List<Object>>> {

    private final int batchSizeMax;
    private final ConcurrentLinkedQueue<Message<?>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong requested = new AtomicLong();
    /** Serialises draining: whoever moves it from 0 drains until no work is left. */
    private final AtomicInteger drainWork = new AtomicInteger();
    private final AtomicReference<Flow.Subscriber<? super Message<List<Object>>>> subscriber = new AtomicReference<>();

    InProcessGroup(int batchSizeMax) {
        this.batchSizeMax = batchSizeMax;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Message<List<Object>>> candidate) {
        if (!subscriber.compareAndSet(null, candidate)) {
            candidate.onSubscribe(new NoSubscription());
            candidate.onError(new IllegalStateException("An in-process consumer group has exactly one subscriber"));
            return;
        }
        candidate.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long count) {
                if (count > 0) {
                    requested.getAndAccumulate(count, (current, added) -> current + added < 0 ? Long.MAX_VALUE : current + added);
                    drain();
                }
            }

            @Override
            public void cancel() {
                subscriber.set(null);
            }
        });
        drain();
    }

    void offer(Message<?> message) {
        pending.add(message);
        drain();
    }

    private void drain() {
        if (drainWork.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Flow.Subscriber<? super Message<List<Object>>> current = subscriber.get();
            while (current != null && requested.get() > 0 && !pending.isEmpty()) {
                requested.decrementAndGet();
                current.onNext(nextBatch());
            }
            missed = drainWork.addAndGet(-missed);
        } while (missed != 0);
    }

    private Message<List<Object>> nextBatch() {
        List<Message<?>> messages = new ArrayList<>();
        Message<?> next;
        while (messages.size() < batchSizeMax && (next = pending.poll()) != null) {
            messages.add(next);
        }
        List<Object> payloads = new ArrayList<>(messages.size());
        messages.forEach(message -> payloads.add(message.getPayload()));
        return Message.of(payloads,
                () -> settleAll(messages, null),
                reason -> settleAll(messages, reason));
    }

    private static CompletionStage<Void> settleAll(List<Message<?>> messages, Throwable reason) {
        CompletableFuture<?>[] settled = messages.stream()
                .map(message -> (reason == null ? message.ack() : message.nack(reason)).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(settled);
    }

    private static final class NoSubscription implements Flow.Subscription {
        @Override
        public void request(long count) {
        }

        @Override
        public void cancel() {
        }
    }
}
