package io.pointsledger.platform;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The pool's wait queue is bounded by points-ledger.database.connection-waiters-max: with the
 * pool's one connection taken and room for one waiter, of three requests at once at most one
 * waits; the others are refused at once with 503 and Retry-After instead of joining an unbounded
 * queue. (The one waiter may also be one of the service's own background reads, so all three may
 * be refused.) Once the connection is back, whoever waited is served.
 */
@QuarkusTest
@TestProfile(ConnectionWaitersLimitTest.OneConnectionOneWaiter.class)
class ConnectionWaitersLimitTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int REQUESTS = 3;

    public static class OneConnectionOneWaiter implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "1",
                    "points-ledger.database.connection-waiters-max", "1");
        }
    }

    @Inject
    Pool pool;

    @Test
    void shouldRefuseRequestsBeyondTheWaitersLimitAtOnceAndServeTheWaitingOne() throws Exception {
        UUID memberId = UUID.fromString(servedOnceRoomFrees(LedgerApi::enrollment).then().statusCode(201)
                .extract().path("memberId"));
        SqlConnection taken = takeTheConnection();
        List<CompletableFuture<Response>> requests;
        try {
            requests = IntStream.range(0, REQUESTS)
                    .mapToObj(request -> CompletableFuture.supplyAsync(() -> history(memberId)))
                    .toList();
            awaitCompleted(requests, REQUESTS - 1);
        } finally {
            taken.close().await().atMost(TIMEOUT);
        }

        int refused = 0;
        for (CompletableFuture<Response> request : requests) {
            Response answer = request.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer.statusCode() == 503) {
                refused++;
                answer.then().contentType("application/problem+json")
                        .header("Retry-After", equalTo("2"))
                        .body("code", equalTo("SERVICE_UNAVAILABLE"));
            } else {
                answer.then().statusCode(200);
            }
        }
        assertTrue(refused >= REQUESTS - 1, refused + " of " + REQUESTS + " refused: more than one waited");
        servedOnceRoomFrees(() -> history(memberId)).then().statusCode(200);
    }

    /**
     * With one connection and one waiter, the service's own background reads (relay, backlog
     * measurement, consumers) may hold both for a moment, and a request outside the measured part
     * is then refused like any other: it is sent again, as a client honouring Retry-After would.
     */
    private static Response servedOnceRoomFrees(Supplier<Response> request) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Response answer = request.get();
        while (answer.statusCode() == 503 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(50));
            answer = request.get();
        }
        return answer;
    }

    /**
     * The pool's one connection, for the test to hold. The service's background reads may hold it
     * and fill the one waiter's place for a moment, which refuses this acquisition like any other:
     * it is asked for again.
     */
    private SqlConnection takeTheConnection() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                return pool.getConnection().await().atMost(TIMEOUT);
            } catch (io.vertx.core.http.ConnectionPoolTooBusyException busy) {
                if (System.nanoTime() > deadline) {
                    throw busy;
                }
                sleep(Duration.ofMillis(50));
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    private static Response history(UUID memberId) {
        return given().get("/v1/members/{memberId}/transactions", memberId);
    }

    /** Refused requests answer at once, while the connection is still taken; waiting ones cannot. */
    private static void awaitCompleted(List<CompletableFuture<Response>> requests, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (requests.stream().filter(CompletableFuture::isDone).count() < count) {
            if (System.nanoTime() > deadline) {
                fail("fewer than " + count + " of " + requests.size()
                        + " requests answered while the pool's only connection was taken: they all wait");
            }
            Thread.sleep(20);
        }
    }
}
