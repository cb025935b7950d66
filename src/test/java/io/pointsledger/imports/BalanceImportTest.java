package io.pointsledger.imports;

import static io.pointsledger.support.LedgerApi.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Opening balances brought from the system the program replaces: one MIGRATION per member through
 * the write path, with the old system's expiry, refused rows reported exactly, and never a
 * member's balance twice, whether the file is run again, repeats a member or runs twice at once.
 */
@QuarkusTest
class BalanceImportTest {

    @Inject
    Pool pool;

    private long migrations(UUID memberId) {
        return Database.single(pool, "SELECT count(*) FROM transfers WHERE member_id = $1 AND kind = 'MIGRATION'", memberId).getLong(0);
    }

    @Test
    void shouldBringEachBalanceOverOnceWithItsExpiryAndReportTheRefusedRows() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, UUID> members = ImportFiles.enroll(run + "-1", run + "-2", run + "-3", run + "-4", run + "-5", run + "-6");
        LocalDate until = LocalDate.now(ZoneOffset.UTC).plusMonths(3);
        String csv = """
                externalId,points,expiresAt,reference
                %1$s-1,1500,%2$s,OLD-0001
                %1$s-2,250,2030-01-31T23:59:59+09:00,
                %1$s-3,1200.0,,
                %1$s-9,100,,
                %1$s-4,"1,500",,
                %1$s-5,0,,
                %1$s-6,12.5,,
                %1$s-6,10,2020-01-01,
                ,5,,
                %1$s-1,999,,
                %1$s-6,
                """.formatted(run, until);

        String jobId = ImportFiles.start("BALANCES", ImportFiles.write("balances", csv));
        JsonPath job = ImportFiles.finished(jobId);

        assertEquals("DONE", job.getString("status"), job.prettify());
        assertEquals(11, job.getInt("rowsRead"));
        assertEquals(3, job.getInt("rowsAccepted"));
        assertEquals(8, job.getInt("rowsRefused"));
        assertEquals(List.of(
                List.of(5, "externalId", "MEMBER_NOT_FOUND"), List.of(6, "points", "INVALID"), List.of(7, "points", "OUT_OF_RANGE"),
                List.of(8, "points", "INVALID"), List.of(9, "expiresAt", "EXPIRED"), List.of(10, "externalId", "REQUIRED"),
                List.of(11, "externalId", "DUPLICATE_IN_FILE"), List.of(12, "points", "REQUIRED")), ImportFiles.errors(jobId));
        assertEquals(1500, LedgerApi.available(members.get(run + "-1")));
        assertEquals(250, LedgerApi.available(members.get(run + "-2")));
        assertEquals(1200, LedgerApi.available(members.get(run + "-3")));
        assertEquals(0, LedgerApi.available(members.get(run + "-6")));
        // A date alone is good through that day, in the program's time zone (UTC here).
        Row first = Database.single(pool, "SELECT expires_at, remaining FROM point_lots WHERE member_id = $1", members.get(run + "-1"));
        assertEquals(until.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC).toInstant(), first.getOffsetDateTime("expires_at").toInstant());
        assertEquals(OffsetDateTime.parse("2030-01-31T23:59:59+09:00").toInstant(), Database.single(pool,
                "SELECT expires_at FROM point_lots WHERE member_id = $1", members.get(run + "-2")).getOffsetDateTime(0).toInstant());
        Row transfer = Database.single(pool, "SELECT kind, partner_id, order_id, points, posted_delta FROM transfers WHERE member_id = $1",
                members.get(run + "-1"));
        assertEquals(List.of("MIGRATION", "operator", "OLD-0001", 1500L, 1500L), List.of(transfer.getString(0), transfer.getString(1),
                transfer.getString(2), transfer.getLong(3), transfer.getLong(4)));
        LedgerApi.assertReconciles();

        // The same file again changes nothing: every balance there is the last import's.
        JsonPath again = ImportFiles.finished(ImportFiles.start("BALANCES", ImportFiles.write("balances", csv)));
        assertEquals(0, again.getInt("rowsAccepted"));
        assertEquals(3, again.getInt("rowsExisting"));
        members.values().forEach(memberId -> assertEquals(memberId.equals(members.get(run + "-6")) || memberId.equals(members.get(run + "-4"))
                || memberId.equals(members.get(run + "-5")) ? 0 : 1, migrations(memberId)));
        assertEquals(1500, LedgerApi.available(members.get(run + "-1")));
    }

    @Test
    void shouldRefuseARepeatInALaterChunkAndABalanceThatDiffersFromTheOneBroughtOver() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int members = 1_001;
        StringBuilder memberFile = new StringBuilder("externalId,name\n");
        StringBuilder balances = new StringBuilder("externalId,points\n");
        for (int index = 1; index <= members; index++) {
            memberFile.append(run).append('-').append(index).append(",Member ").append(index).append('\n');
            balances.append(run).append('-').append(index).append(',').append(index).append('\n');
        }
        balances.append(run).append("-1,5\n");
        String membersJob = given().contentType(ContentType.JSON).body(Map.of("kind", "MEMBERS", "file", ImportFiles.write("balances", memberFile.toString())))
                .post("/v1/admin/imports").then().statusCode(202).extract().path("jobId");
        assertEquals(members, ImportFiles.finished(membersJob).getInt("rowsAccepted"));

        String jobId = ImportFiles.start("BALANCES", ImportFiles.write("balances", balances.toString()));
        JsonPath job = ImportFiles.finished(jobId);

        // Rows 2 to 1 001 are the first chunk, 1 002 and 1 003 the second: the repeat of row 2 is in another chunk.
        assertEquals(members, job.getInt("rowsAccepted"), job.prettify());
        assertEquals(List.of(List.of(members + 2, "externalId", "DUPLICATE_IN_FILE")), ImportFiles.errors(jobId));
        UUID first = UUID.fromString(Database.single(pool, "SELECT member_id FROM members WHERE external_id = $1", run + "-1")
                .getUUID(0).toString());
        assertEquals(1, LedgerApi.available(first));

        String corrected = ImportFiles.start("BALANCES", ImportFiles.write("balances", "externalId,points\n%1$s-1,1\n%1$s-2,20\n".formatted(run)));
        JsonPath again = ImportFiles.finished(corrected);
        assertEquals(1, again.getInt("rowsExisting"), "the same balance again changes nothing");
        assertEquals(List.of(List.of(3, "points", "ALREADY_MIGRATED")), ImportFiles.errors(corrected), "another balance is refused");
        assertEquals(1, migrations(first));
        LedgerApi.assertReconciles();
    }

    @Test
    void shouldReadKoreanHeadersAndAWorkbooksNumbers() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, UUID> members = ImportFiles.enroll(run + "-1");
        String file = ImportFiles.write("balances", "회원번호,포인트잔액,소멸일\n%s-1,3000,%d\n".formatted(run,
                java.time.temporal.ChronoUnit.DAYS.between(LocalDate.of(1899, 12, 30), LocalDate.now(ZoneOffset.UTC).plusYears(1))));

        JsonPath job = ImportFiles.finished(ImportFiles.start("BALANCES", file));

        assertEquals(1, job.getInt("rowsAccepted"), job.prettify());
        assertEquals(3000, LedgerApi.available(members.get(run + "-1")));
        assertEquals(LocalDate.now(ZoneOffset.UTC).plusYears(1).plusDays(1), Database.single(pool,
                "SELECT expires_at FROM point_lots WHERE member_id = $1", members.get(run + "-1")).getOffsetDateTime(0)
                .withOffsetSameInstant(ZoneOffset.UTC).toLocalDate());
    }

    @Test
    void shouldBringABalanceOverOnceWhenTwoImportsOfItRunAtOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String[] externalIds = new String[40];
        StringBuilder csv = new StringBuilder("externalId,points\n");
        for (int index = 0; index < externalIds.length; index++) {
            externalIds[index] = run + "-" + index;
            csv.append(externalIds[index]).append(',').append(100 + index).append('\n');
        }
        Map<String, UUID> members = ImportFiles.enroll(externalIds);
        String first = ImportFiles.write("balances", csv.toString());
        String second = ImportFiles.write("balances", csv.toString());

        List<String> jobs = Concurrently.run(2, index -> ImportFiles.start("BALANCES", index == 0 ? first : second));
        List<JsonPath> finished = jobs.stream().map(ImportFiles::finished).toList();

        assertEquals(40, finished.get(0).getInt("rowsAccepted") + finished.get(1).getInt("rowsAccepted"));
        assertEquals(40, finished.get(0).getInt("rowsExisting") + finished.get(1).getInt("rowsExisting"));
        for (int index = 0; index < externalIds.length; index++) {
            assertEquals(1, migrations(members.get(externalIds[index])));
            assertEquals(100 + index, LedgerApi.available(members.get(externalIds[index])));
        }
        LedgerApi.assertReconciles();
    }
}
