package io.pointsledger.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.DisposablePostgres;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.UncaughtFailures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL lost under an earn load, twice: its sessions terminated by an administrator while
 * batches are in flight (57P01), then a fast shutdown and a start (57P03 while shutting down and
 * starting, connections refused in between). Every request must get exactly one answer, a 201 or a 503 with
 * Retry-After, never a 500; every 503 retried with its key must succeed and apply once; readiness
 * must go DOWN while PostgreSQL is away and UP after; and nothing may reach Vert.x or Mutiny
 * uncaught. The test has a PostgreSQL of its own, so that stopping it disturbs no other test.
 */
@QuarkusTest
@WithTestResource(value = DisposablePostgres.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class DatabaseOutageTest {

    private static final int WORKERS = 8;
    private static final int MEMBERS = 16;
    private static final int REQUESTS_PER_WORKER_MAX = 3_000;
    /** After a 503 a worker pauses, as a client honouring Retry-After would, only shorter. */
    private static final long PAUSE_AFTER_503_MILLIS = 50;
    private static final Duration LOAD_MAX = Duration.ofSeconds(120);
    private static final Duration OUTAGE_STEP_MAX = Duration.ofSeconds(60);
    /** Earns acknowledged between two steps of the outage, so that each step meets a load. */
    private static final int ACKNOWLEDGED_PER_STEP = 40;
    /**
     * Vert.x's default pool connection timeout (30 s) and a margin: the timer whose firing after a
     * failed acquisition logged "Result is already complete" would have fired by then.
     */
    private static final Duration QUIET_AFTER_OUTAGE = Duration.ofSeconds(32);
    private static final Pattern ANSWERED_503_ON_EARN = Pattern.compile(
            "http_server_requests_seconds_count\\{[^}]*status=\"503\"[^}]*uri=\"/v1/members/\\{memberId}/earn\"");
    private static final RestAssuredConfig BOUNDED = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", 5_000)
            .setParam("http.socket.timeout", 30_000));

    @Inject
    Pool pool;

    @Inject
    DatabaseConfig database;

    /** One request and the one answer it got (status 0: none, an exception instead). */
    private record Answer(String key, UUID memberId, int status, String code, String retryAfter, String failure) {
    }

    @Test
    void shouldAnswer503WithRetryAfterAndApplyEveryRetryOnceWhenPostgresRestartsUnderLoad() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<UUID> members = new ArrayList<>();
        for (int index = 0; index < MEMBERS; index++) {
            members.add(LedgerApi.enroll());
        }
        Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        Instant restarted;
        boolean readinessWentDown;
        boolean readinessCameBack;
        try (UncaughtFailures uncaught = UncaughtFailures.install()) {
            ExecutorService executor = Executors.newFixedThreadPool(WORKERS);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int worker = 0; worker < WORKERS; worker++) {
                    String prefix = "outage-" + run + "-w" + worker + "-";
                    workers.add(executor.submit(() -> earnUntilStopped(prefix, members, answers, stop)));
                }
                awaitAcknowledged(answers, ACKNOWLEDGED_PER_STEP);
                terminateSessionsWithBatchesInFlight(members);
                awaitAcknowledged(answers, count(answers, 201) + ACKNOWLEDGED_PER_STEP);

                DisposablePostgres.stopFast();
                readinessWentDown = awaitReadiness(503);
                DisposablePostgres.startAgain();
                restarted = Instant.now();
                readinessCameBack = awaitReadiness(200);
                awaitAcknowledged(answers, count(answers, 201) + ACKNOWLEDGED_PER_STEP);

                stop.set(true);
                for (Future<?> worker : workers) {
                    worker.get(LOAD_MAX.toSeconds(), TimeUnit.SECONDS);
                }
            } finally {
                stop.set(true);
                executor.shutdownNow();
            }

            assertEveryAnswerIs201Or503WithRetryAfter(answers);
            assertTrue(count(answers, 503) > 0, "the outage met requests: " + statuses(answers));
            assertTrue(readinessWentDown, "readiness went DOWN while PostgreSQL was stopped");
            assertTrue(readinessCameBack, "readiness came back UP after PostgreSQL started");

            retryEvery503WithItsKey(answers);
            assertEveryKeyAppliedOnce(run, answers.size());
            LedgerApi.assertReconciles();
            assertTrue(ANSWERED_503_ON_EARN.matcher(RestAssured.get("/q/metrics").asString()).find(),
                    "the 503s counted under the earn route's template");

            // A failure completed twice shows up late: wait out the pool's old timer before judging.
            Duration left = Duration.between(Instant.now(), restarted.plus(QUIET_AFTER_OUTAGE));
            if (!left.isNegative()) {
                Thread.sleep(left.toMillis());
            }
            assertEquals(List.of(), uncaught.seen(), "failures nobody handled");
        }
    }

    private static void earnUntilStopped(String keyPrefix, List<UUID> members, Queue<Answer> answers, AtomicBoolean stop) {
        for (int request = 0; request < REQUESTS_PER_WORKER_MAX && !stop.get(); request++) {
            UUID memberId = members.get(ThreadLocalRandom.current().nextInt(members.size()));
            Answer answer = earnOnePoint(keyPrefix + request, memberId);
            answers.add(answer);
            if (answer.status() == 503) {
                pause(PAUSE_AFTER_503_MILLIS);
            }
        }
    }

    /** Earns exactly one point; the same key always carries the same member and body. */
    private static Answer earnOnePoint(String key, UUID memberId) {
        try {
            Response response = LedgerApi.given().config(BOUNDED).contentType(ContentType.JSON)
                    .header("Idempotency-Key", key)
                    .body(Map.of("orderId", "order-" + key, "amount", Map.of("value", 100L, "currency", "USD"),
                            "channel", "POS", "points", 1))
                    .post("/v1/members/{memberId}/earn", memberId);
            String code = response.statusCode() >= 400 ? response.jsonPath().getString("code") : null;
            return new Answer(key, memberId, response.statusCode(), code, response.getHeader("Retry-After"), null);
        } catch (RuntimeException e) {
            return new Answer(key, memberId, 0, null, null, e.toString());
        }
    }

    /**
     * Holds every member's account row locked from a connection of the test's own, so that the
     * batches sent meanwhile wait inside PostgreSQL, then terminates the service's sessions
     * (pg_terminate_backend: 57P01) with those batches in flight, and lets go of the rows.
     */
    private static void terminateSessionsWithBatchesInFlight(List<UUID> members) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + DisposablePostgres.port() + "/postgres?user=postgres")) {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT member_id FROM member_accounts WHERE member_id = ANY (?) FOR UPDATE")) {
                lock.setArray(1, connection.createArrayOf("uuid", members.toArray()));
                lock.executeQuery().close();
            }
            await().atMost(OUTAGE_STEP_MAX).pollInterval(Duration.ofMillis(50))
                    .until(() -> single(connection, """
                            SELECT count(*) FROM pg_stat_activity
                             WHERE application_name = 'points-ledger' AND wait_event_type = 'Lock'""") > 0);
            long terminated = single(connection, """
                    SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                     WHERE application_name = 'points-ledger' AND pid <> pg_backend_pid()""");
            assertTrue(terminated > 0, "the service's sessions were terminated");
            connection.rollback();
        }
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (ResultSet result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void awaitAcknowledged(Queue<Answer> answers, long acknowledged) {
        await().atMost(OUTAGE_STEP_MAX).pollInterval(Duration.ofMillis(50))
                .until(() -> count(answers, 201) >= acknowledged);
    }

    /** Polls /q/health/ready until it answers {@code status}; false when it never did. */
    private static boolean awaitReadiness(int status) {
        try {
            await().atMost(OUTAGE_STEP_MAX).pollInterval(Duration.ofMillis(100))
                    .until(() -> RestAssured.given().config(BOUNDED).get("/q/health/ready").statusCode() == status);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    private void assertEveryAnswerIs201Or503WithRetryAfter(Queue<Answer> answers) {
        String retryAfter = Integer.toString(database.retryAfterSeconds());
        for (Answer answer : answers) {
            boolean acknowledged = answer.status() == 201;
            boolean unavailable = answer.status() == 503 && "SERVICE_UNAVAILABLE".equals(answer.code())
                    && retryAfter.equals(answer.retryAfter());
            assertTrue(acknowledged || unavailable, "one answer, 201 or 503 with Retry-After: " + answer
                    + "; all: " + statuses(answers));
        }
    }

    /** Each 503 retried with its own key until it succeeds (PostgreSQL is back). */
    private static void retryEvery503WithItsKey(Queue<Answer> answers) {
        for (Answer refused : answers.stream().filter(answer -> answer.status() == 503).toList()) {
            await().atMost(OUTAGE_STEP_MAX).pollInterval(Duration.ofMillis(100))
                    .until(() -> earnOnePoint(refused.key(), refused.memberId()).status() == 201);
        }
    }

    /** Every key of the run has exactly one transfer of one point, however often it was sent. */
    private void assertEveryKeyAppliedOnce(String run, int keys) {
        var ledger = Database.single(pool, """
                SELECT count(DISTINCT idempotency_key) AS keys, count(*) AS transfers, sum(points) AS points
                  FROM transfers WHERE idempotency_key LIKE $1""", "outage-" + run + "-%");
        assertEquals(keys, ledger.getLong("keys"), "every key applied");
        assertEquals(keys, ledger.getLong("transfers"), "no key applied twice");
        assertEquals(keys, ledger.getLong("points"), "one point each");
    }

    private static long count(Queue<Answer> answers, int status) {
        return answers.stream().filter(answer -> answer.status() == status).count();
    }

    private static Map<String, Long> statuses(Queue<Answer> answers) {
        return answers.stream().collect(Collectors.groupingBy(
                answer -> answer.status() + (answer.code() == null ? "" : " " + answer.code())
                        + (answer.failure() == null ? "" : " " + answer.failure()),
                Collectors.counting()));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
