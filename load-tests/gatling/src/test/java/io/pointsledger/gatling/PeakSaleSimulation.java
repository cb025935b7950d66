package io.pointsledger.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Peak sale: a burst of shoppers against points-ledger, ramped up to a target request rate, held,
 * and ramped down, with the request mix of a sale day.
 *
 * <h2>Parameters (Java system properties, {@code -Dname=value}; load-tests/gatling/run.sh sets them)</h2>
 * <table>
 * <caption>parameters</caption>
 * <tr><th>property</th><th>default</th><th>meaning</th></tr>
 * <tr><td>baseUrl</td><td>http://127.0.0.1:28090</td><td>the service</td></tr>
 * <tr><td>adminKey</td><td>bench-admin-key-0123456789</td><td>sent as {@code Authorization: Bearer <adminKey>}
 *     on every request: the program operator, no rate limit (the service's POINTS_LEDGER_ADMIN_KEY)</td></tr>
 * <tr><td>membersFile</td><td>target/members.txt</td><td>member ids, one UUID a line, seeded beforehand
 *     (run.sh seeds them through the API: enrolment, then 10 000 points each)</td></tr>
 * <tr><td>members</td><td>100000</td><td>how many ids of membersFile to use (the first ones); the file
 *     must hold at least that many</td></tr>
 * <tr><td>targetRps</td><td>300</td><td>requests per second at the plateau, all kinds together</td></tr>
 * <tr><td>rampSeconds</td><td>60</td><td>ramp from 1 request/s up to targetRps</td></tr>
 * <tr><td>holdSeconds</td><td>300</td><td>plateau at targetRps</td></tr>
 * <tr><td>rampDownSeconds</td><td>rampSeconds</td><td>ramp from targetRps down to 1 request/s</td></tr>
 * <tr><td>balancePct, earnPct, redeemPct, holdCapturePct, historyPct, reversalPct</td>
 *     <td>55, 25, 8, 7, 3, 2</td><td>the mix, in percent of operations (they must add up to 100)</td></tr>
 * <tr><td>maxFailedPct</td><td>1.0</td><td>assertion: the run fails when more requests than this
 *     percentage fail (KO: a status other than the expected ones, a timeout, a connection error)</td></tr>
 * <tr><td>requestTimeoutMs</td><td>10000</td><td>a request without an answer after this long is a KO
 *     (set in gatling.conf's default, overridable here)</td></tr>
 * </table>
 *
 * <h2>Model</h2>
 * An open workload: virtual users arrive at a rate that does not depend on how fast the service
 * answers (a sale does not wait for the ledger), each performs ONE operation, picked at random
 * with the mix's weights, and leaves. Two operations take two requests (hold+capture, and a
 * reversal, which first earns and then reverses that earn), so the arrival rate is
 * targetRps / (requests per operation, 1.09 with the default mix) and the request rate is
 * targetRps. Connections are shared between virtual users ({@code shareConnections}), as a
 * few POS/web back-ends would call the ledger over pooled keep-alive connections.
 *
 * <h2>Operations</h2>
 * <ul>
 * <li>balance: {@code GET /v1/members/{id}/balance}, 200</li>
 * <li>earn with items: {@code POST /v1/members/{id}/earn}, 1 to 3 line items from 200 SKUs in 10
 *     categories, quantity 1-3, unit price 1.99-99.99 USD, amount = the sum, POS or ONLINE, 201</li>
 * <li>redeem: {@code POST /v1/members/{id}/redeem} of 1-20 points, 201, or 409 INSUFFICIENT_POINTS
 *     (accepted: a shopper may not have enough)</li>
 * <li>hold+capture: {@code POST /v1/members/{id}/holds} of 1-20 points (201, or 409 when not enough
 *     points, which ends the operation), then {@code POST /v1/holds/{holdId}/capture} with no body, 200</li>
 * <li>history: {@code GET /v1/members/{id}/transactions?limit=20}, 200</li>
 * <li>reversal: an earn as above ("reversal: earn"), then {@code POST /v1/transactions/{its id}/reverse}
 *     {@code {"reason":"returned"}}: the goods of the purchase just made come back, 201</li>
 * </ul>
 * Every write carries its own {@code Idempotency-Key} (a random UUID).
 */
public class PeakSaleSimulation extends Simulation {

    private static final String BASE_URL = System.getProperty("baseUrl", "http://127.0.0.1:28090");
    private static final String ADMIN_KEY = System.getProperty("adminKey", "bench-admin-key-0123456789");
    private static final Path MEMBERS_FILE = Path.of(System.getProperty("membersFile", "target/members.txt"));
    private static final int MEMBERS = Integer.getInteger("members", 100_000);
    private static final double TARGET_RPS = Double.parseDouble(System.getProperty("targetRps", "300"));
    private static final int RAMP_SECONDS = Integer.getInteger("rampSeconds", 60);
    private static final int HOLD_SECONDS = Integer.getInteger("holdSeconds", 300);
    private static final int RAMP_DOWN_SECONDS = Integer.getInteger("rampDownSeconds", RAMP_SECONDS);
    private static final double BALANCE_PCT = pct("balancePct", 55);
    private static final double EARN_PCT = pct("earnPct", 25);
    private static final double REDEEM_PCT = pct("redeemPct", 8);
    private static final double HOLD_CAPTURE_PCT = pct("holdCapturePct", 7);
    private static final double HISTORY_PCT = pct("historyPct", 3);
    private static final double REVERSAL_PCT = pct("reversalPct", 2);
    private static final double MAX_FAILED_PCT = Double.parseDouble(System.getProperty("maxFailedPct", "1.0"));
    private static final int REQUEST_TIMEOUT_MS = Integer.getInteger("requestTimeoutMs", 10_000);

    /** Requests per operation with this mix: hold+capture and reversal take two. */
    private static final double REQUESTS_PER_OPERATION = (BALANCE_PCT + EARN_PCT + REDEEM_PCT
            + 2 * HOLD_CAPTURE_PCT + HISTORY_PCT + 2 * REVERSAL_PCT) / 100.0;
    private static final double USERS_PER_SECOND = TARGET_RPS / REQUESTS_PER_OPERATION;
    private static final double START_USERS_PER_SECOND = Math.min(1.0, USERS_PER_SECOND);

    private static final String[] CATEGORIES = {"grocery", "beverages", "household", "beauty", "toys",
            "electronics", "garden", "apparel", "books", "pets"};

    private static double pct(String name, double fallback) {
        return Double.parseDouble(System.getProperty(name, Double.toString(fallback)));
    }

    private static List<String> members() {
        List<String> ids;
        try (Stream<String> lines = Files.lines(MEMBERS_FILE)) {
            ids = lines.map(String::trim).filter(line -> line.length() == 36).limit(MEMBERS).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read membersFile " + MEMBERS_FILE.toAbsolutePath(), e);
        }
        if (ids.size() < MEMBERS) {
            throw new IllegalStateException("membersFile " + MEMBERS_FILE.toAbsolutePath() + " holds " + ids.size()
                    + " member ids, fewer than members=" + MEMBERS);
        }
        return ids;
    }

    /** A random earn request with 1-3 line items; the amount is their sum. */
    private static String earnBody(Session session) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int lines = random.nextInt(1, 4);
        long amount = 0;
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            int sku = random.nextInt(1, 201);
            int quantity = random.nextInt(1, 4);
            long unitPrice = random.nextLong(199, 10_000);
            amount += quantity * unitPrice;
            if (i > 0) {
                items.append(',');
            }
            items.append("{\"sku\":\"SKU-").append(sku).append("\",\"category\":\"").append(CATEGORIES[sku % CATEGORIES.length])
                    .append("\",\"quantity\":").append(quantity).append(",\"unitPrice\":").append(unitPrice).append('}');
        }
        return "{\"orderId\":\"sale-" + UUID.randomUUID() + "\",\"amount\":{\"value\":" + amount
                + ",\"currency\":\"USD\"},\"channel\":\"" + (random.nextBoolean() ? "POS" : "ONLINE")
                + "\",\"items\":[" + items + "]}";
    }

    private static String pointsBody(Session session) {
        return "{\"points\":" + ThreadLocalRandom.current().nextInt(1, 21) + ",\"orderId\":\"sale-" + UUID.randomUUID()
                + "\",\"channel\":\"ONLINE\"}";
    }

    private static final Function<Session, String> NEW_KEY = session -> UUID.randomUUID().toString();

    private final List<String> memberIds = members();

    private final Iterator<Map<String, Object>> memberFeeder = Stream.generate(
            () -> Map.<String, Object>of("memberId", memberIds.get(ThreadLocalRandom.current().nextInt(memberIds.size()))))
            .iterator();

    private final HttpProtocolBuilder protocol = http.baseUrl(BASE_URL)
            .acceptHeader("application/json")
            .header("Authorization", "Bearer " + ADMIN_KEY)
            .userAgentHeader("points-ledger-gatling/PeakSaleSimulation")
            .shareConnections();

    private static HttpRequestActionBuilder read(String name, String path) {
        return http(name).get(path).requestTimeout(Duration.ofMillis(REQUEST_TIMEOUT_MS));
    }

    /** A write as a till sends it: a JSON body under a new Idempotency-Key. */
    private static HttpRequestActionBuilder write(String name, String path) {
        return http(name).post(path)
                .requestTimeout(Duration.ofMillis(REQUEST_TIMEOUT_MS))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", NEW_KEY);
    }

    private final ChainBuilder balance = exec(read("balance", "/v1/members/#{memberId}/balance")
            .check(status().is(200)));

    private final ChainBuilder earn = exec(write("earn", "/v1/members/#{memberId}/earn")
            .body(StringBody(PeakSaleSimulation::earnBody))
            .check(status().is(201)));

    private final ChainBuilder redeem = exec(write("redeem", "/v1/members/#{memberId}/redeem")
            .body(StringBody(PeakSaleSimulation::pointsBody))
            .check(status().in(201, 409)));

    private final ChainBuilder holdCapture = exec(write("hold", "/v1/members/#{memberId}/holds")
            .body(StringBody(PeakSaleSimulation::pointsBody))
            .check(status().in(201, 409).saveAs("holdStatus"))
            .check(jsonPath("$.holdId").optional().saveAs("holdId")))
            .doIf(session -> session.getInt("holdStatus") == 201 && session.contains("holdId")).then(
                    exec(http("capture")
                            .post("/v1/holds/#{holdId}/capture")
                            .requestTimeout(Duration.ofMillis(REQUEST_TIMEOUT_MS))
                            .header("Idempotency-Key", NEW_KEY)
                            .check(status().is(200))));

    private final ChainBuilder history = exec(read("history", "/v1/members/#{memberId}/transactions?limit=20")
            .check(status().is(200)));

    private final ChainBuilder reversal = exec(write("reversal: earn", "/v1/members/#{memberId}/earn")
            .body(StringBody(PeakSaleSimulation::earnBody))
            .check(status().is(201))
            .check(jsonPath("$.transactionId").saveAs("earnTransactionId")))
            .exitHereIfFailed()
            .exec(write("reversal", "/v1/transactions/#{earnTransactionId}/reverse")
                    .body(StringBody("{\"reason\":\"returned\"}"))
                    .check(status().is(201)));

    private final ScenarioBuilder peakSale = scenario("peak sale")
            .feed(memberFeeder)
            .exec(randomSwitch().on(
                    percent(BALANCE_PCT).then(balance),
                    percent(EARN_PCT).then(earn),
                    percent(REDEEM_PCT).then(redeem),
                    percent(HOLD_CAPTURE_PCT).then(holdCapture),
                    percent(HISTORY_PCT).then(history),
                    percent(REVERSAL_PCT).then(reversal)));

    {
        double mix = BALANCE_PCT + EARN_PCT + REDEEM_PCT + HOLD_CAPTURE_PCT + HISTORY_PCT + REVERSAL_PCT;
        if (Math.abs(mix - 100.0) > 1e-6) {
            throw new IllegalArgumentException("the mix adds up to " + mix + "%, not 100%");
        }
        System.out.printf("PeakSaleSimulation: baseUrl=%s members=%d (from %s) targetRps=%.1f rampSeconds=%d"
                        + " holdSeconds=%d rampDownSeconds=%d mix balance/earn/redeem/hold+capture/history/reversal"
                        + "=%.1f/%.1f/%.1f/%.1f/%.1f/%.1f%% -> %.3f requests per operation, %.1f users/s at the plateau%n",
                BASE_URL, MEMBERS, MEMBERS_FILE, TARGET_RPS, RAMP_SECONDS, HOLD_SECONDS, RAMP_DOWN_SECONDS,
                BALANCE_PCT, EARN_PCT, REDEEM_PCT, HOLD_CAPTURE_PCT, HISTORY_PCT, REVERSAL_PCT,
                REQUESTS_PER_OPERATION, USERS_PER_SECOND);
        setUp(peakSale.injectOpen(
                        rampUsersPerSec(START_USERS_PER_SECOND).to(USERS_PER_SECOND).during(Duration.ofSeconds(RAMP_SECONDS)),
                        constantUsersPerSec(USERS_PER_SECOND).during(Duration.ofSeconds(HOLD_SECONDS)),
                        rampUsersPerSec(USERS_PER_SECOND).to(START_USERS_PER_SECOND).during(Duration.ofSeconds(RAMP_DOWN_SECONDS))))
                .protocols(protocol)
                .assertions(global().failedRequests().percent().lte(MAX_FAILED_PCT));
    }
}
