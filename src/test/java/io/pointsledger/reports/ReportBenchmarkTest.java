package io.pointsledger.reports;

import static io.pointsledger.support.LedgerApi.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.OwnerDatabase;
import io.pointsledger.support.Segments;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The benchmark of the reports (load-tests/report-benchmark.sh): seeds the members and transfers
 * asked for straight in PostgreSQL over the last 365 days (60 % earns for an amount, a tenth of
 * them with a campaign bonus, each with its lot; redemptions, holds and captures, expiries and
 * reversals, each with a lot movement; 20 partners, two channels), rolls every ended day up with
 * the service's own rollup, then times each report through the API, three times. Each earn has one
 * line of one of 5 000 products in 40 categories. It asserts what
 * the reports found, never how fast: the times are the report. Runs only when
 * {@value #MEMBERS_PROPERTY} is set.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = ReportBenchmarkTest.MEMBERS_PROPERTY, matches = "[0-9]+")
class ReportBenchmarkTest {

    static final String MEMBERS_PROPERTY = "reports.benchmark.members";
    static final String TRANSFERS_PROPERTY = "reports.benchmark.transfers";
    private static final int DAYS = 365;
    private static final int TRANSFERS_PER_STATEMENT = 1_000_000;
    private static final Duration LONG = Duration.ofMinutes(30);

    /** Member n's id is derived from n, so that transfers name their member without a look-up. */
    private static final String SEED_MEMBERS = """
            INSERT INTO members (member_id, enrollment_channel, enrolled_at)
            SELECT md5('bench-member-' || g)::uuid, (ARRAY['ONLINE', 'OFFLINE', 'BULK'])[1 + g % 3], now() - (g % 700) * interval '1 day'
              FROM generate_series(1, $1::int) g""";

    private static final String SEED_ACCOUNTS = """
            INSERT INTO member_accounts (member_id, tier, posted)
            SELECT member_id, (ARRAY['BASIC', 'BASIC', 'BASIC', 'BASIC', 'SILVER', 'SILVER', 'GOLD'])[1 + abs(hashtext(member_id::text)) % 7],
                   abs(hashtext(member_id::text)) % 5000
              FROM members""";

    /**
     * Transfers {@code $1} to {@code $2} of {@code $3}, spread evenly over the last 365 days in
     * recording order; the member of transfer g is member g modulo {@code $4}.
     */
    private static final String SEED_TRANSFERS = """
            INSERT INTO transfers (transfer_id, kind, member_id, points, posted_delta, held_delta, partner_id, channel,
                                   amount_minor_units, currency, occurred_at, recorded_at, metadata)
            SELECT gen_random_uuid(), kind, md5('bench-member-' || (1 + g % $4::bigint))::uuid, points,
                   CASE kind WHEN 'EARN' THEN points WHEN 'HOLD' THEN 0 WHEN 'REVERSAL' THEN -points ELSE -points END,
                   CASE kind WHEN 'HOLD' THEN points WHEN 'CAPTURE' THEN -points ELSE 0 END,
                   'bench-partner-' || g % 20, CASE WHEN g % 2 = 0 THEN 'POS' ELSE 'ONLINE' END,
                   CASE kind WHEN 'EARN' THEN points * 100 END, CASE kind WHEN 'EARN' THEN 'USD' END, at, at,
                   CASE WHEN kind = 'EARN' AND g % 10 = 0 THEN jsonb_build_object('items', '[]'::jsonb, 'bonuses', jsonb_build_array(
                            jsonb_build_object('campaignId', '0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a0' || g % 5, 'campaignVersion', 1,
                                               'points', 10)))
                        WHEN kind = 'EARN' THEN jsonb_build_object('items', jsonb_build_array(jsonb_build_object(
                            'sku', 'SKU-' || g % 5000, 'category', 'category-' || g % 40, 'quantity', 1 + g % 3,
                            'unitPrice', points * 100 / (1 + g % 3))), 'bonuses', '[]'::jsonb)
                        ELSE '{}'::jsonb END
              FROM generate_series($1::bigint, $2::bigint) g
             CROSS JOIN LATERAL (SELECT now() - interval '365 days' + (g::float8 / $3::float8) * interval '365 days' AS at,
                                        10 + g % 491 AS points,
                                        CASE WHEN g % 20 < 12 THEN 'EARN' WHEN g % 20 < 17 THEN 'REDEEM' WHEN g % 20 = 17 THEN 'HOLD'
                                             WHEN g % 20 = 18 THEN 'CAPTURE' WHEN g % 40 = 19 THEN 'EXPIRY' ELSE 'REVERSAL' END AS kind) t""";

    private static final String SEED_LOTS = """
            INSERT INTO point_lots (member_id, source_transfer_id, expires_at, remaining, credited)
            SELECT member_id, transfer_id, recorded_at + interval '1 year', points / 2, points FROM transfers WHERE kind = 'EARN'""";

    /** A movement for every spend, expiry and reversal, against some lot (which member's does not matter to a report's cost). */
    private static final String SEED_MOVEMENTS = """
            INSERT INTO lot_movements (transfer_id, member_id, lot_id, points)
            SELECT t.transfer_id, t.member_id, l.lot_id, -t.points
              FROM (SELECT transfer_id, member_id, points, row_number() OVER () AS n FROM transfers
                     WHERE kind IN ('REDEEM', 'CAPTURE', 'EXPIRY', 'REVERSAL')) t
              JOIN point_lots l ON l.lot_id = (SELECT min(lot_id) FROM point_lots) + t.n % (SELECT count(*) FROM point_lots)""";

    @Inject
    Pool pool;
    @Inject
    ReportRollups rollups;
    @Inject
    OwnerDatabase owner;

    @Test
    void shouldAnswerEveryReportOverALargeLedger() {
        int members = Integer.getInteger(MEMBERS_PROPERTY);
        long transfers = Long.getLong(TRANSFERS_PROPERTY, 10L * members);
        long seedStart = System.nanoTime();
        seed(members, transfers);
        long seedMillis = millisSince(seedStart);

        long rollupStart = System.nanoTime();
        int days = 0;
        for (int rolled = rollups.rollUpEndedDays().await().atMost(LONG); rolled > 0; rolled = rollups.rollUpEndedDays().await().atMost(LONG)) {
            days += rolled;
        }
        long rollupMillis = millisSince(rollupStart);
        long sliceStart = System.nanoTime();
        int slices = rollups.rollUpSlices().await().atMost(LONG);
        long sliceMillis = millisSince(sliceStart);
        Database.execute(pool, "ANALYZE report_transfer_days, report_bonus_days, report_lot_days, report_item_days, report_item_filter_days, report_hour_days, "
                + "report_member_days, report_cohort_days, report_member_months, report_rollup_days, report_rollup_slices");

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, Supplier<Response>> reports = new LinkedHashMap<>();
        reports.put("earn-burn, last 30 days", () -> given().get("/v1/admin/reports/earn-burn"));
        reports.put("earn-burn, 366 days", () -> given().queryParam("from", today.minusDays(365).toString())
                .queryParam("to", today.plusDays(1).toString()).get("/v1/admin/reports/earn-burn"));
        reports.put("earn-burn, 366 days, one partner, as CSV", () -> given().accept("text/csv")
                .queryParam("from", today.minusDays(365).toString()).queryParam("to", today.plusDays(1).toString())
                .queryParam("partnerId", "bench-partner-7").get("/v1/admin/reports/earn-burn"));
        reports.put("liability", () -> given().get("/v1/admin/reports/liability"));
        reports.put("members, this month and the one before", () -> given().get("/v1/admin/reports/members"));
        reports.put("members, 12 months", () -> given().queryParam("from", today.minusMonths(11).withDayOfMonth(1).toString())
                .queryParam("to", today.plusDays(1).toString()).get("/v1/admin/reports/members"));
        reports.put("liability, GOLD", () -> given().queryParam("tier", "GOLD").get("/v1/admin/reports/liability"));
        reports.put("breakage, 12 cohorts", () -> given().queryParam("from", today.minusDays(365).toString())
                .queryParam("to", today.plusDays(1).toString()).get("/v1/admin/reports/breakage"));
        reports.put("sales by product, last 30 days", () -> given().queryParam("by", "PRODUCT").get("/v1/admin/reports/sales"));
        reports.put("sales by product, 366 days", () -> given().queryParam("by", "PRODUCT").queryParam("from", today.minusDays(365).toString())
                .queryParam("to", today.plusDays(1).toString()).get("/v1/admin/reports/sales"));
        reports.put("sales by category, 366 days", () -> given().queryParam("by", "CATEGORY").queryParam("from", today.minusDays(365).toString())
                .queryParam("to", today.plusDays(1).toString()).get("/v1/admin/reports/sales"));
        reports.put("sales by customer, top 50 of 31 days", () -> given().queryParam("by", "CUSTOMER")
                .queryParam("from", today.minusDays(30).toString()).queryParam("to", today.plusDays(1).toString()).get("/v1/admin/reports/sales"));
        reports.put("sales by month, 366 days (and the year before)", () -> given().queryParam("by", "MONTH")
                .queryParam("from", today.minusDays(365).toString()).queryParam("to", today.plusDays(1).toString()).get("/v1/admin/reports/sales"));
        reports.put("sales by hour of the week, 366 days", () -> given().queryParam("by", "WEEKDAY_HOUR")
                .queryParam("from", today.minusDays(365).toString()).queryParam("to", today.plusDays(1).toString()).get("/v1/admin/reports/sales"));
        String yearAgo = today.minusDays(365).toString();
        String tomorrow = today.plusDays(1).toString();
        reports.put("earn-burn, 366 days, GOLD at the time", () -> given().queryParam("from", yearAgo).queryParam("to", tomorrow)
                .queryParam("tier", "GOLD").get("/v1/admin/reports/earn-burn"));
        reports.put("sales by product, 366 days, GOLD at the time", () -> given().queryParam("by", "PRODUCT").queryParam("from", yearAgo)
                .queryParam("to", tomorrow).queryParam("tier", "GOLD").get("/v1/admin/reports/sales"));
        reports.put("sales by category, 366 days, through POS", () -> given().queryParam("by", "CATEGORY").queryParam("from", yearAgo)
                .queryParam("to", tomorrow).queryParam("channel", "POS").get("/v1/admin/reports/sales"));
        reports.put("sales by month, 366 days, BASIC through ONLINE", () -> given().queryParam("by", "MONTH").queryParam("from", yearAgo)
                .queryParam("to", tomorrow).queryParam("tier", "BASIC").queryParam("channel", "ONLINE").get("/v1/admin/reports/sales"));
        reports.put("breakage, 12 cohorts, through ONLINE", () -> given().queryParam("from", yearAgo).queryParam("to", tomorrow)
                .queryParam("channel", "ONLINE").get("/v1/admin/reports/breakage"));
        // Six of seven members: a segment as large as the program, and four of seven, whose
        // snapshot keeps the three left out (the largest side a snapshot keeps). A segment is
        // counted once saved, then its settled months summed, both in the background: timed here,
        // before any report is.
        long countStart = System.nanoTime();
        String segmentId = Segments.saved("NOT tier IN ('GOLD')");
        long countMillis = awaitSnapshot(segmentId, "true", countStart);
        long sumMillis = awaitSnapshot(segmentId, "months_summed_from IS NOT NULL", countStart) - countMillis;
        long basicStart = System.nanoTime();
        String basic = Segments.saved("tier IN ('BASIC')");
        long basicCountMillis = awaitSnapshot(basic, "true", basicStart);
        long basicSumMillis = awaitSnapshot(basic, "months_summed_from IS NOT NULL", basicStart) - basicCountMillis;
        reports.put("liability, a segment of 6 in 7 members", () -> given().queryParam("segmentId", segmentId).get("/v1/admin/reports/liability"));
        reports.put("members, 12 months, a segment of 6 in 7", () -> given().queryParam("from", today.minusMonths(11).withDayOfMonth(1).toString())
                .queryParam("to", tomorrow).queryParam("segmentId", segmentId).get("/v1/admin/reports/members"));
        reports.put("sales by customer, top 50 of 31 days, a segment of 6 in 7", () -> given().queryParam("by", "CUSTOMER")
                .queryParam("from", today.minusDays(30).toString()).queryParam("to", tomorrow).queryParam("segmentId", segmentId)
                .get("/v1/admin/reports/sales"));
        reports.put("liability, a segment of 4 in 7", () -> given().queryParam("segmentId", basic).get("/v1/admin/reports/liability"));
        reports.put("members, 12 months, a segment of 4 in 7", () -> given().queryParam("from", today.minusMonths(11).withDayOfMonth(1).toString())
                .queryParam("to", tomorrow).queryParam("segmentId", basic).get("/v1/admin/reports/members"));
        reports.put("sales by customer, top 50 of 31 days, a segment of 4 in 7", () -> given().queryParam("by", "CUSTOMER")
                .queryParam("from", today.minusDays(30).toString()).queryParam("to", tomorrow).queryParam("segmentId", basic)
                .get("/v1/admin/reports/sales"));
        // Last, as its counts and sums go on in the background: a report asked the moment its
        // segment is saved waits for the count under way (each attempt a segment of its own).
        reports.put("liability, a segment of 6 in 7, asked the moment it is saved (waits for its count)", () -> given()
                .queryParam("segmentId", Segments.saved("NOT tier IN ('GOLD')")).get("/v1/admin/reports/liability"));

        System.out.printf("Reports over %,d members and %,d transfers (seeded in %,d ms)%n", members, transfers, seedMillis);
        System.out.printf("| rollup of %d days (the first look at a year of history, %d days a look) | %,d ms |%n", days,
                31, rollupMillis);
        System.out.printf("| today so far in %d slice (up to the slice delay ago) | %,d ms |%n", slices, sliceMillis);
        System.out.printf("| a segment of 6 in 7 counted once saved (background) | %,d ms |%n", countMillis);
        System.out.printf("| its settled months summed (background, after the count) | %,d ms |%n", sumMillis);
        System.out.printf("| a segment of 4 in 7 counted once saved (background) | %,d ms |%n", basicCountMillis);
        System.out.printf("| its settled months summed (background, after the count) | %,d ms |%n", basicSumMillis);
        reports.forEach((name, report) -> {
            long[] times = new long[3];
            Response answer = null;
            for (int attempt = 0; attempt < times.length; attempt++) {
                long start = System.nanoTime();
                answer = report.get();
                times[attempt] = millisSince(start);
                assertEquals(200, answer.statusCode(), name + ": " + answer.asString());
            }
            System.out.printf("| %s | %,d ms, %,d ms, %,d ms |%n", name, times[0], times[1], times[2]);
        });
        System.out.println("Report benchmark done");

        JsonPath year = given().queryParam("from", today.minusDays(365).toString()).queryParam("to", today.plusDays(1).toString())
                .get("/v1/admin/reports/earn-burn").then().statusCode(200).extract().jsonPath();
        long earns = Database.single(pool, "SELECT count(*) FROM transfers WHERE kind = 'EARN' AND recorded_at < $1",
                OffsetDateTime.parse(year.getString("recordedUntil"))).getLong(0);
        assertEquals(earns, year.getLong("totals.earns"), "every earn rolled up counted once, in whole days or today's slices");
        assertTrue(days >= DAYS - 1, "the year's ended days rolled up: " + days);
    }

    private void seed(int members, long transfers) {
        unbounded(SEED_MEMBERS, Tuple.of(members));
        unbounded(SEED_ACCOUNTS, Tuple.tuple());
        for (long from = 1; from <= transfers; from += TRANSFERS_PER_STATEMENT) {
            long to = Math.min(transfers, from + TRANSFERS_PER_STATEMENT - 1);
            unbounded(SEED_TRANSFERS, Tuple.of(from, to, transfers, (long) members));
        }
        unbounded(SEED_LOTS, Tuple.tuple());
        unbounded(SEED_MOVEMENTS, Tuple.tuple());
        // What autovacuum does as a ledger grows (and an index built on existing rows has): the
        // BRIN ranges summarized, the statistics current.
        owner.pool().query("VACUUM ANALYZE").execute().await().atMost(LONG);
    }

    /** One seeding statement, free of the pool's statement timeout. */
    private void unbounded(String statement, Tuple arguments) {
        pool.withTransaction(transaction -> transaction.query("SET LOCAL statement_timeout = 0").execute()
                .chain(() -> transaction.preparedQuery(statement).execute(arguments))).await().atMost(LONG);
    }

    /** Milliseconds from {@code start} until the segment has a snapshot (committed) for which {@code condition} holds. */
    private long awaitSnapshot(String segmentId, String condition, long start) {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (Database.single(pool, "SELECT count(*) FROM segment_member_snapshots WHERE segment_id = $1 AND " + condition,
                java.util.UUID.fromString(segmentId)).getLong(0) == 0) {
            assertTrue(System.nanoTime() < deadline, "segment " + segmentId + " never had a snapshot where " + condition);
            try {
                Thread.sleep(10);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(interrupted);
            }
        }
        return millisSince(start);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
