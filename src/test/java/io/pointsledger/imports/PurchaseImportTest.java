package io.pointsledger.imports;

import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Purchases from before the program: kept as purchase history, counted once toward tiers (inside
 * the qualifying window only) and recommendations, never as points; a purchase is never split by
 * the chunks it is read in; bad lines are refused exactly; the history goes with an erasure; and
 * a real shop's export imports as it is.
 */
@QuarkusTest
class PurchaseImportTest {

    private static final String KIND = "PURCHASES";

    @Inject
    Pool pool;

    @Inject
    ImportRunner imports;

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String hoursAgo(long hours) {
        return OffsetDateTime.now(ZoneOffset.UTC).minusHours(hours).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private long purchases(UUID memberId) {
        return Database.single(pool, "SELECT count(*) FROM purchase_history WHERE member_id = $1", memberId).getLong(0);
    }

    private long popularity(String sku) {
        List<Row> rows = Database.all(pool, "SELECT buyers FROM item_buyers WHERE sku = $1", sku);
        return rows.isEmpty() ? 0 : rows.get(0).getLong(0);
    }

    /** A file with a purchase older than the qualifying window, two inside it, and another member's. */
    private static String history(String run) {
        LocalDate threeYearsAgo = LocalDate.now(ZoneOffset.UTC).minusYears(3);
        long serial = ChronoUnit.DAYS.between(LocalDate.of(1899, 12, 30), threeYearsAgo);
        String tenDaysAgo = LocalDateTime.now(ZoneOffset.UTC).minusDays(10).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        return """
                Customer ID,Invoice,Date,SKU,Quantity,Unit Price,Amount,Channel
                %1$s-1,OLD-1,%2$d.5,,,,900000,POS
                %1$s-1,A-1,%3$s,%1$s-X,2,60000,,pos
                %1$s-1,A-1,%3$s,%1$s-Y,1,,100000,POS
                %1$s-1,B-1,%4$s,%1$s-X,1,60000,,
                %1$s-1,B-1,%4$s,%1$s-Z,3,10000,,
                %1$s-2,C-1,%5$s,%1$s-X,1,60000,,ONLINE
                %1$s-2,C-1,%5$s,%1$s-W,1,10000,,ONLINE
                """.formatted(run, serial, hoursAgo(24 * 30), tenDaysAgo, LocalDate.now(ZoneOffset.UTC).minusDays(2));
    }

    @Test
    void shouldKeepPurchasesAsHistoryAndCountThoseInsideTheWindowTowardTiersWithoutPostingPoints() throws IOException {
        String run = run();
        Map<String, UUID> members = ImportFiles.enroll(run + "-1", run + "-2");
        UUID first = members.get(run + "-1");
        UUID second = members.get(run + "-2");

        JsonPath job = ImportFiles.finished(ImportFiles.start(KIND, ImportFiles.write("purchases", history(run))));

        assertEquals("DONE", job.getString("status"), job.prettify());
        assertEquals(List.of(7, 7, 0, 0), List.of(job.getInt("rowsRead"), job.getInt("rowsAccepted"), job.getInt("rowsExisting"),
                job.getInt("rowsRefused")));
        assertEquals(3, purchases(first));
        assertEquals(1, purchases(second));
        Row basket = Database.single(pool, "SELECT amount_minor_units, channel, items, occurred_at FROM purchase_history "
                + "WHERE member_id = $1 AND order_id = 'A-1'", first);
        assertEquals(220_000L, basket.getLong("amount_minor_units"));
        assertEquals("POS", basket.getString("channel"));
        JsonArray items = new JsonArray(basket.getValue("items").toString());
        assertEquals(List.of(run + "-X", run + "-Y"), List.of(items.getJsonObject(0).getString("sku"), items.getJsonObject(1).getString("sku")));
        assertEquals(60_000L, items.getJsonObject(0).getLong("unitPrice"));
        assertEquals(100_000L, items.getJsonObject(1).getLong("amount"));
        Row old = Database.single(pool, "SELECT occurred_at, items FROM purchase_history WHERE member_id = $1 AND order_id = 'OLD-1'", first);
        assertEquals(LocalDate.now(ZoneOffset.UTC).minusYears(3).atTime(12, 0).atOffset(ZoneOffset.UTC).toInstant(),
                old.getOffsetDateTime("occurred_at").toInstant(), "a spreadsheet's serial with half a day is noon, program time");
        assertEquals("[]", old.getValue("items").toString().replace(" ", ""));

        // 220 000 + 90 000 inside the window reach SILVER (300 000); the 900 000 three years ago would have made GOLD.
        JsonPath tier = given().get("/v1/members/{memberId}/tier", first).then().statusCode(200).extract().jsonPath();
        assertEquals("SILVER", tier.getString("tier"));
        assertEquals(310_000L, tier.getLong("qualifyingSpend"));
        assertEquals("BASIC", given().get("/v1/members/{memberId}/tier", second).then().statusCode(200).extract().path("tier"));
        assertEquals("SILVER", given().get("/v1/members/{memberId}/balance", first).then().statusCode(200).extract().path("tier"));
        // No points and no transfer: the ledger holds what was earned, and nothing was.
        assertEquals(0, Database.transferCount(pool, first));
        assertEquals(0, LedgerApi.available(first));

        // The first member bought X with Y (in A) and with Z (in B, after A): the second member, who bought X, is offered
        // Y and Z, equally similar to X, in SKU order.
        List<String> recommended = given().get("/v1/members/{memberId}/recommendations?limit=2", second).then().statusCode(200)
                .extract().path("sku");
        assertEquals(List.of(run + "-Y", run + "-Z"), recommended);
        assertEquals(2, popularity(run + "-X"), "X has two buyers");
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldChangeNothingWhenTheSameHistoryIsImportedAgain() throws IOException {
        String run = run();
        UUID first = ImportFiles.enroll(run + "-1", run + "-2").get(run + "-1");
        String file = ImportFiles.write("purchases", history(run));
        assertEquals("DONE", ImportFiles.finished(ImportFiles.start(KIND, file)).getString("status"));
        long spend = given().get("/v1/members/{memberId}/tier", first).then().extract().jsonPath().getLong("qualifyingSpend");

        JsonPath again = ImportFiles.finished(ImportFiles.start(KIND, file));

        assertEquals(List.of(0, 7, 0), List.of(again.getInt("rowsAccepted"), again.getInt("rowsExisting"), again.getInt("rowsRefused")));
        assertEquals(3, purchases(first));
        assertEquals(spend, given().get("/v1/members/{memberId}/tier", first).then().extract().jsonPath().getLong("qualifyingSpend"));
        assertEquals(2, popularity(run + "-X"), "a purchase counts toward recommendations once");
    }

    @Test
    void shouldNeverSplitAPurchaseBetweenTheChunksItIsReadIn() throws IOException {
        String run = run();
        UUID member = ImportFiles.enroll(run).get(run);
        StringBuilder csv = new StringBuilder("externalId,orderId,occurredAt,sku,quantity,unitPrice\n");
        String when = hoursAgo(48);
        // Rows 2 to 999: single lines; rows 1000 to 1004: one purchase across the chunk size (1 000 rows); then three more.
        for (int order = 1; order <= 998; order++) {
            csv.append(run).append(",single-").append(order).append(',').append(when).append(",S-").append(order % 7).append(",1,100\n");
        }
        for (int line = 1; line <= 5; line++) {
            csv.append(run).append(",straddling,").append(when).append(",L-").append(line).append(",1,100\n");
        }
        for (int order = 1; order <= 3; order++) {
            csv.append(run).append(",after-").append(order).append(',').append(when).append(",S-1,1,100\n");
        }

        JsonPath job = ImportFiles.finished(ImportFiles.start(KIND, ImportFiles.write("purchases", csv.toString())));

        assertEquals(List.of(1006, 1006, 0), List.of(job.getInt("rowsRead"), job.getInt("rowsAccepted"), job.getInt("rowsRefused")),
                job.prettify());
        Row straddling = Database.single(pool, "SELECT jsonb_array_length(items), amount_minor_units FROM purchase_history "
                + "WHERE member_id = $1 AND order_id = 'straddling'", member);
        assertEquals(5, straddling.getInteger(0));
        assertEquals(500L, straddling.getLong(1));
        assertEquals(1002, purchases(member));
    }

    @Test
    void shouldRefuseEachBadLineByFieldAndCodeAndKeepTheRestOfItsPurchase() throws IOException {
        String run = run();
        UUID member = ImportFiles.enroll(run).get(run);
        String past = hoursAgo(5);
        String csv = """
                externalId,orderId,occurredAt,sku,quantity,unitPrice,channel
                %1$s,O1,%2$s,S1,1,100,POS
                %1$s,O1,%2$s,S2,1.5,100,POS
                %1$s,O1,%3$s,S3,1,100,POS
                %1$s,O2,%2$s,S1,1,100,POS
                %1$s,O1,%2$s,S4,1,100,POS
                %1$s,O3,%4$s,S1,1,100,
                nobody-%1$s,O4,%2$s,S1,1,100,
                %1$s,O5,%2$s,S\u0000X,1,100,
                %1$s,O6,%2$s,,2,,
                %1$s,O7,%2$s,S1,1,100,XYZ
                %1$s,O8,1900-01-01,S1,1,100,
                %1$s,O9,%2$s,,,,
                %1$s,O10,%2$s,S1,1,-5,
                ,O11,%2$s,S1,1,1,
                %1$s,O12,31/12/2025,S1,1,1,
                """.formatted(run, past, hoursAgo(5 + 48), OffsetDateTime.now(ZoneOffset.UTC).plusDays(1).truncatedTo(ChronoUnit.SECONDS));

        String jobId = ImportFiles.start(KIND, ImportFiles.write("purchases", csv));
        JsonPath job = ImportFiles.finished(jobId);

        assertEquals(List.of(15, 2, 13), List.of(job.getInt("rowsRead"), job.getInt("rowsAccepted"), job.getInt("rowsRefused")),
                job.prettify());
        assertEquals(List.of(
                List.of(3, "quantity", "INVALID"), List.of(4, "occurredAt", "INCONSISTENT"), List.of(6, "orderId", "NOT_CONSECUTIVE"),
                List.of(7, "occurredAt", "NOT_IN_THE_PAST"), List.of(8, "externalId", "MEMBER_NOT_FOUND"), List.of(9, "sku", "INVALID"),
                List.of(10, "sku", "REQUIRED"), List.of(11, "channel", "INVALID"), List.of(12, "occurredAt", "OUT_OF_RANGE"),
                List.of(13, "amount", "REQUIRED"), List.of(14, "unitPrice", "INVALID"), List.of(15, "externalId", "REQUIRED"),
                List.of(16, "occurredAt", "INVALID")), ImportFiles.errors(jobId));
        assertEquals(List.of("O1", "O2"), Database.all(pool, "SELECT order_id FROM purchase_history WHERE member_id = $1 ORDER BY order_id",
                member).stream().map(row -> row.getString(0)).toList());
        assertEquals(100L, Database.single(pool, "SELECT amount_minor_units FROM purchase_history WHERE member_id = $1 AND order_id = 'O1'",
                member).getLong(0), "the purchase keeps its good line only");
    }

    @Test
    void shouldEraseAMembersPurchaseHistoryWithTheirPersonalData() throws IOException {
        String run = run();
        UUID first = ImportFiles.enroll(run + "-1", run + "-2").get(run + "-1");
        assertEquals("DONE", ImportFiles.finished(ImportFiles.start(KIND, ImportFiles.write("purchases", history(run)))).getString("status"));
        assertEquals(3, purchases(first));

        given().delete("/v1/members/{memberId}", first).then().statusCode(204);

        assertEquals(0, purchases(first));
    }

    /** A purchase a month ago (123 points), one two years ago (its points expired since) and one worth less than a point. */
    private static String pointsHistory(String run) {
        return pointsHistory(run, hoursAgo(24 * 30));
    }

    private static String pointsHistory(String run, String monthAgo) {
        return """
                externalId,orderId,occurredAt,sku,quantity,unitPrice,amount
                %1$s,P-1,%2$s,%1$s-A,1,,12345
                %1$s,P-2,%3$s,%1$s-B,1,,50000
                %1$s,P-3,%2$s,,,,50
                """.formatted(run, monthAgo, hoursAgo(24 * 730));
    }

    private static String startPosting(String file) {
        return given().contentType(io.restassured.http.ContentType.JSON).body(Map.of("kind", KIND, "file", file, "postPoints", true))
                .post("/v1/admin/imports").then().statusCode(202).body("postPoints", org.hamcrest.Matchers.is(true))
                .extract().path("jobId");
    }

    private long earns(UUID memberId) {
        return Database.single(pool, "SELECT count(*) FROM transfers WHERE member_id = $1 AND kind = 'EARN'", memberId).getLong(0);
    }

    @Test
    void shouldPostThePointsOfEachPurchaseOnceWithItsLotDatedFromThePurchaseWhenAsked() throws IOException {
        String run = run();
        UUID member = ImportFiles.enroll(run).get(run);
        String monthAgo = hoursAgo(24 * 30);
        String file = ImportFiles.write("purchases", pointsHistory(run, monthAgo));

        JsonPath job = ImportFiles.finished(startPosting(file));

        assertEquals(List.of(3, 0, 0), List.of(job.getInt("rowsAccepted"), job.getInt("rowsExisting"), job.getInt("rowsRefused")),
                job.prettify());
        assertEquals(123, LedgerApi.available(member), "floor(12345 / 100) at the base tier; the two-year-old points expired");
        Row earn = Database.single(pool, "SELECT transfer_id, points, order_id, occurred_at, partner_id, amount_minor_units "
                + "FROM transfers WHERE member_id = $1 AND kind = 'EARN'", member);
        assertEquals(List.of(123L, "P-1", "operator", 12_345L), List.of(earn.getLong("points"), earn.getString("order_id"),
                earn.getString("partner_id"), earn.getLong("amount_minor_units")));
        OffsetDateTime purchasedAt = OffsetDateTime.parse(monthAgo);
        assertEquals(purchasedAt.toInstant(), earn.getOffsetDateTime("occurred_at").toInstant());
        assertEquals(purchasedAt.toLocalDate().plusMonths(12).plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC).toInstant(),
                Database.single(pool, "SELECT expires_at FROM point_lots WHERE member_id = $1", member).getOffsetDateTime(0).toInstant(),
                "the lot is dated from the purchase, not from the import");
        assertEquals(earn.getUUID("transfer_id"), Database.single(pool, "SELECT transfer_id FROM purchase_history WHERE member_id = $1 "
                + "AND order_id = 'P-1'", member).getUUID(0));
        assertEquals(0, Database.single(pool, "SELECT count(*) FROM purchase_history WHERE member_id = $1 AND (posting_pending "
                + "OR (order_id <> 'P-1' AND transfer_id IS NOT NULL))", member).getLong(0));
        // The posted purchase counts toward the tier through its earn's event, the other recent one directly: 12 345 + 50.
        await("qualifying spend of both recent purchases, each once").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> given().get("/v1/members/{memberId}/tier", member).then().extract().jsonPath()
                        .getLong("qualifyingSpend") == 12_395L);
        LedgerApi.assertReconciles();

        JsonPath again = ImportFiles.finished(startPosting(file));

        assertEquals(List.of(0, 3), List.of(again.getInt("rowsAccepted"), again.getInt("rowsExisting")));
        assertEquals(1, earns(member));
        assertEquals(123, LedgerApi.available(member));
    }

    @Test
    void shouldPostEachPurchaseOnceWhenTwoImportsOfItRunAtOnce() throws IOException {
        String run = run();
        UUID member = ImportFiles.enroll(run).get(run);
        String file = ImportFiles.write("purchases", pointsHistory(run));

        List<String> jobs = List.of(startPosting(file), startPosting(file));
        jobs.forEach(ImportFiles::finished);

        assertEquals(1, earns(member));
        assertEquals(123, LedgerApi.available(member));
        LedgerApi.assertReconciles();
    }

    /**
     * An import stopped after posting a chunk's earns and before recording them goes on from the
     * claims: it finds the earns it posted, even once their keys' stored answers are purged, and
     * posts nothing twice.
     */
    @Test
    void shouldNotPostAPurchaseAgainWhenAStoppedImportGoesOnAfterItsKeysWerePurged() throws IOException {
        String run = run();
        UUID member = ImportFiles.enroll(run).get(run);
        String jobId = startPosting(ImportFiles.write("purchases", pointsHistory(run)));
        assertEquals("DONE", ImportFiles.finished(jobId).getString("status"));
        assertEquals(1, earns(member));
        UUID job = UUID.fromString(jobId);
        // As if the instance stopped between posting the earns and recording them, a day ago.
        Database.execute(pool, "UPDATE purchase_history SET posting_pending = true, transfer_id = NULL WHERE import_job_id = $1", job);
        Database.execute(pool, "UPDATE import_jobs SET status = 'RUNNING', finished_at = NULL, last_row = 1, rows_read = 0, "
                + "rows_accepted = 0, rows_existing = 0, rows_refused = 0, bytes_read = 0, leased_by = 'stopped-instance', "
                + "lease_until = now() - interval '1 second' WHERE job_id = $1", job);
        Database.execute(pool, "DELETE FROM idempotency_keys WHERE member_id = $1", member);

        imports.resumeAny().await().atMost(java.time.Duration.ofSeconds(60));

        JsonPath resumed = given().get("/v1/admin/imports/{jobId}", jobId).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("DONE", 3, 0), List.of(resumed.getString("status"), resumed.getInt("rowsAccepted"),
                resumed.getInt("rowsRefused")), resumed.prettify());
        assertEquals(1, earns(member), "the earn posted before the stop is found, not posted again");
        assertEquals(123, LedgerApi.available(member));
        assertEquals(Database.single(pool, "SELECT transfer_id FROM transfers WHERE member_id = $1 AND kind = 'EARN'", member).getUUID(0),
                Database.single(pool, "SELECT transfer_id FROM purchase_history WHERE member_id = $1 AND order_id = 'P-1'", member).getUUID(0));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldRefuseToPostPointsForAMemberWhoseOpeningBalanceCameOverAndForOtherKinds() throws IOException {
        String run = run();
        UUID member = ImportFiles.enroll(run).get(run);
        assertEquals("DONE", ImportFiles.finished(ImportFiles.start("BALANCES", ImportFiles.write("balances",
                "externalId,points\n" + run + ",700\n"))).getString("status"));

        String jobId = startPosting(ImportFiles.write("purchases", pointsHistory(run)));

        assertEquals(List.of(List.of(2, "externalId", "ALREADY_MIGRATED"), List.of(3, "externalId", "ALREADY_MIGRATED"),
                List.of(4, "externalId", "ALREADY_MIGRATED")), ImportFiles.errors(ImportFiles.finished(jobId).getString("jobId")));
        assertEquals(700, LedgerApi.available(member));
        given().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("kind", "MEMBERS", "file", ImportFiles.write("members", "externalId,name\nx,y\n"), "postPoints", true))
                .post("/v1/admin/imports").then().statusCode(400).body("code", org.hamcrest.Matchers.is("VALIDATION_FAILED"));
    }

    @Test
    void shouldRefuseAnOpeningBalanceForAMemberWhosePastPurchasesPostedTheirPoints() throws IOException {
        String run = run();
        UUID member = ImportFiles.enroll(run).get(run);
        assertEquals("DONE", ImportFiles.finished(startPosting(ImportFiles.write("purchases", pointsHistory(run)))).getString("status"));

        String balances = ImportFiles.start("BALANCES", ImportFiles.write("balances", "externalId,points\n" + run + ",700\n"));

        assertEquals(List.of(List.of(2, "points", "ALREADY_MIGRATED")), ImportFiles.errors(ImportFiles.finished(balances).getString("jobId")));
        assertEquals(123, LedgerApi.available(member), "the past came over once: by its purchases' points, not also by a balance");
        LedgerApi.assertReconciles();
    }

    /**
     * A real online shop's export, as it is (customer,invoice,date,sku,quantity,unit_price_minor):
     * every invoice becomes one purchase whose amount is the sum of its lines, checked against
     * totals computed here from the same file.
     */
    @Test
    void shouldImportARealShopsExportAsItIs() throws IOException {
        String run = run();
        List<String> lines = realExport();
        Map<String, Long> invoiceTotals = new LinkedHashMap<>();
        Set<String> customers = new HashSet<>();
        StringBuilder renamed = new StringBuilder(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            customers.add(cells[0]);
            invoiceTotals.merge(cells[0] + "/" + cells[1], Long.parseLong(cells[4]) * Long.parseLong(cells[5]), Long::sum);
            renamed.append(run).append('-').append(line).append('\n');
        }
        StringBuilder memberFile = new StringBuilder("externalId,name\n");
        customers.forEach(customer -> memberFile.append(run).append('-').append(customer).append(",Customer ").append(customer).append('\n'));
        String members = ImportFiles.start("MEMBERS", ImportFiles.write("members", memberFile.toString()));
        assertEquals(customers.size(), ImportFiles.finished(members).getInt("rowsAccepted"));

        JsonPath job = ImportFiles.finished(ImportFiles.start(KIND, ImportFiles.write("purchases", renamed.toString())));

        assertEquals(List.of(3000, 3000, 0), List.of(job.getInt("rowsRead"), job.getInt("rowsAccepted"), job.getInt("rowsRefused")),
                job.prettify());
        List<Row> imported = Database.all(pool, """
                SELECT e.external_id, p.order_id, p.amount_minor_units FROM purchase_history p
                  JOIN member_external_ids e ON e.member_id = p.member_id WHERE e.external_id LIKE $1""", run + "-%");
        Map<String, Long> importedTotals = new LinkedHashMap<>();
        imported.forEach(row -> importedTotals.put(row.getString(0).substring(run.length() + 1) + "/" + row.getString(1), row.getLong(2)));
        assertEquals(invoiceTotals, importedTotals);
        assertEquals(OffsetDateTime.parse("2010-12-01T08:26:00Z").toInstant(), Database.single(pool, """
                SELECT min(p.occurred_at) FROM purchase_history p JOIN member_external_ids e ON e.member_id = p.member_id
                 WHERE e.external_id LIKE $1""", run + "-%").getOffsetDateTime(0).toInstant(), "a time without a zone is the program's (UTC here)");
    }

    private static List<String> realExport() throws IOException {
        try (InputStream in = PurchaseImportTest.class.getResourceAsStream("/online-retail-a/purchases-first-3000.csv")) {
            return new ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        }
    }
}
