package io.pointsledger.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A burst of purchases sent as fast as the client can, then the proof that the event pipeline
 * took every one of them: the outbox drains, the lag gauge returns to 0, every purchase counts
 * once toward its member's tier and recommendations, and nothing went to the dead letters.
 *
 * <p>Each member makes {@link #PURCHASES_PER_MEMBER} purchases that together reach exactly the
 * SILVER threshold (300 000 minor units by default), so a member is SILVER only if every one of
 * their purchases was applied.
 */
public final class EarnBurst {

    public static final int PURCHASES_PER_MEMBER = 20;
    private static final long AMOUNT_PER_PURCHASE = 15_000;
    private static final Duration SEND_TIMEOUT = Duration.ofMinutes(5);

    private final List<UUID> members = new ArrayList<>();

    private EarnBurst() {
    }

    /** Enrolls {@code purchases / PURCHASES_PER_MEMBER} members and sends their purchases from {@code threads} threads. */
    public static EarnBurst send(int purchases, int threads) throws Exception {
        EarnBurst burst = new EarnBurst();
        for (int member = 0; member < purchases / PURCHASES_PER_MEMBER; member++) {
            burst.members.add(LedgerApi.enroll());
        }
        burst.sendAll(purchases, threads);
        return burst;
    }

    private void sendAll(int purchases, int threads) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                workers.add(executor.submit(() -> {
                    int sent = 0;
                    for (int index = next.getAndIncrement(); index < purchases; index = next.getAndIncrement()) {
                        purchase(index);
                        sent++;
                    }
                    return sent;
                }));
            }
            int sent = 0;
            for (Future<Integer> worker : workers) {
                sent += worker.get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            assertEquals(purchases, sent);
        } finally {
            executor.shutdownNow();
        }
    }

    /** Purchase {@code index}: member {@code index % members}, one item of its own. */
    private void purchase(int index) {
        UUID memberId = members.get(index % members.size());
        String key = "burst-" + memberId + "-" + index;
        LedgerApi.earn(memberId, key, Map.of(
                        "orderId", "order-" + index,
                        "amount", Map.of("value", AMOUNT_PER_PURCHASE, "currency", "USD"),
                        "channel", "POS",
                        "items", List.of(Map.of("sku", "BURST-" + index % 97, "quantity", 1, "unitPrice", AMOUNT_PER_PURCHASE))))
                .then().statusCode(201);
    }

    /** Waits, bounded, until every purchase of the burst went through every consumer; then asserts it exactly. */
    public void assertFullyConsumed(Pool pool, Duration deadline) {
        UUID[] ids = members.toArray(UUID[]::new);
        long purchases = (long) ids.length * PURCHASES_PER_MEMBER;
        await().atMost(deadline).pollInterval(Duration.ofMillis(250)).until(() -> count(pool,
                "SELECT count(*) FROM member_accounts WHERE member_id = ANY($1) AND tier = 'SILVER'", ids) == ids.length
                && count(pool, "SELECT count(*) FROM recommendation_purchases WHERE member_id = ANY($1)", ids) == purchases);
        assertEquals(purchases, count(pool, "SELECT count(*) FROM tier_purchases WHERE member_id = ANY($1)", ids),
                "every purchase counted once toward its member's tier");
        assertEquals(purchases, count(pool, "SELECT coalesce(sum(purchases), 0) FROM member_items WHERE member_id = ANY($1)", ids),
                "every purchase's item counted once toward its member's recommendations");
        assertEquals(0, count(pool, "SELECT count(*) FROM dead_letters WHERE member_id = ANY($1)", ids), "no dead letters");
        await().atMost(Duration.ofSeconds(30)).until(() -> count(pool, "SELECT count(*) FROM outbox", new UUID[0]) == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> lagGauge() == 0);
    }

    private static long count(Pool pool, String sql, UUID[] ids) {
        return sql.contains("$1") ? Database.single(pool, sql, (Object) ids).getLong(0) : Database.single(pool, sql).getLong(0);
    }

    /** {@code ledger_events_lag} as /q/metrics shows it now. */
    public static double lagGauge() {
        String metrics = RestAssured.given().accept(ContentType.TEXT).get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("ledger_events_lag "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("ledger_events_lag is not on /q/metrics"));
    }
}
