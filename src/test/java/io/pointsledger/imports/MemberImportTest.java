package io.pointsledger.imports;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MemberImportTest {

    private static final Path DIRECTORY = Path.of("target/test-imports");

    @Inject
    Pool pool;

    @Inject
    ImportRunner imports;

    private static String write(String suffix, String content) throws IOException {
        Files.createDirectories(DIRECTORY);
        String name = "members-" + UUID.randomUUID() + suffix;
        Files.writeString(DIRECTORY.resolve(name), content, StandardCharsets.UTF_8);
        return name;
    }

    private static Response start(String file) {
        return given().contentType(ContentType.JSON).body(Map.of("kind", "MEMBERS", "file", file)).post("/v1/admin/imports");
    }

    private static JsonPath finished(String jobId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            JsonPath job = given().get("/v1/admin/imports/{jobId}", jobId).then().statusCode(200).extract().jsonPath();
            if (!"RUNNING".equals(job.getString("status"))) {
                return job;
            }
            sleep(50);
        }
        throw new AssertionError("Import " + jobId + " did not finish in 60 s");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<Map<String, Object>> errors(String jobId) {
        return given().get("/v1/admin/imports/{jobId}/errors?limit=1000", jobId).then().statusCode(200).extract().path("items");
    }

    @Test
    void shouldEnrollValidRowsAndReportEachRefusedRowByFieldAndCode() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String csv = """
                externalId,name,email,phone,birthDate,region,language,gender
                %1$s-1,Kim Minji,minji@example.com,+821012345678,1990-04-01,Seoul,ko,F
                %1$s-2,,nobody@example.com,,,,,
                %1$s-3,"Lee, Seojun",not-an-email,,,,,
                %1$s-4,Park Jiwoo,,010-1234-5678,,,,
                %1$s-5,Choi Haeun,,,2999-01-01,,,
                %1$s-6,Jung Yuna,,,1990-13-45,,,
                %1$s-7,Kang Minho,,,,,korean,
                %1$s-8,Yoon Ara,,,,,,X
                ,No Id,,,,,,
                %1$s-1,Kim Minji Again,,,,,,

                %1$s-11,"Han ""Jay"" Sol",,,,Busan,en-GB,MALE
                %1$s-12,Oh Bora,,,,%2$s,,
                %1$s-13,Ctrl\u0007Char,,,,,,
                %1$s-14,Too Many,,,,,,,extra
                """.formatted(run, "r".repeat(65));
        String file = write(".csv", csv);

        Response started = start(file);
        started.then().statusCode(202).body("status", equalTo("RUNNING")).body("channel", equalTo("BULK"));
        String jobId = started.path("jobId");
        assertTrue(started.header("Location").endsWith("/v1/admin/imports/" + jobId), started.header("Location"));
        JsonPath job = finished(jobId);

        assertEquals("DONE", job.getString("status"));
        assertEquals(14, job.getInt("rowsRead"), "the empty row 12 is skipped");
        assertEquals(2, job.getInt("rowsAccepted"));
        assertEquals(12, job.getInt("rowsRefused"));
        assertEquals(1.0f, job.getFloat("progress"));
        List<Map<String, Object>> errors = errors(jobId);
        assertEquals(List.of(
                List.of(3, "name", "REQUIRED"), List.of(4, "email", "INVALID"), List.of(5, "phone", "INVALID"),
                List.of(6, "birthDate", "NOT_IN_THE_PAST"), List.of(7, "birthDate", "INVALID"), List.of(8, "language", "INVALID"),
                List.of(9, "gender", "INVALID"), List.of(10, "externalId", "REQUIRED"), List.of(11, "externalId", "DUPLICATE_IN_FILE"),
                List.of(14, "region", "TOO_LONG"), List.of(15, "name", "INVALID"), List.of(16, "row", "TOO_MANY_COLUMNS")),
                errors.stream().map(error -> List.of(error.get("row"), error.get("field"), error.get("code"))).toList());
        assertEquals("repeats the externalId of row 2", errors.get(8).get("message"));
        given().contentType(ContentType.JSON).body(Map.of("email", "minji@example.com")).post("/v1/members/lookups").then()
                .statusCode(200).body("items.externalId", org.hamcrest.Matchers.hasItem(run + "-1"));
        assertEquals(1, Database.single(pool, """
                SELECT count(*) FROM members WHERE external_id = $1 AND region = 'Busan' AND language = 'en-GB'
                   AND enrollment_channel = 'BULK'""", run + "-11").getLong(0), "a quoted name with doubled quotes, region, language");
    }

    @Test
    void shouldChangeNothingWhenTheSameFileIsImportedAgain() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder("externalId,name\n");
        for (int index = 1; index <= 30; index++) {
            csv.append(run).append('-').append(index).append(",Member ").append(index).append('\n');
        }
        String file = write(".csv", csv.toString());
        String first = start(file).then().statusCode(202).extract().path("jobId");
        assertEquals(30, finished(first).getInt("rowsAccepted"));
        long members = Database.single(pool, "SELECT count(*) FROM members").getLong(0);
        long enrolled = Database.single(pool, "SELECT count(*) FROM members WHERE external_id LIKE $1", run + "-%").getLong(0);

        JsonPath again = finished(start(file).then().statusCode(202).extract().path("jobId"));

        assertEquals(0, again.getInt("rowsAccepted"));
        assertEquals(30, again.getInt("rowsExisting"));
        assertEquals(0, again.getInt("rowsRefused"));
        assertEquals(members, Database.single(pool, "SELECT count(*) FROM members").getLong(0));
        assertEquals(30, enrolled);
    }

    @Test
    void shouldNotEnrollAgainAMemberErasedAtTheirRequest() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String file = write(".csv", "externalId,name,email\n" + run + "-gone,Erased Person,gone@example.com\n"
                + run + "-kept,Kept Person,\n");
        assertEquals(2, finished(start(file).then().statusCode(202).extract().path("jobId")).getInt("rowsAccepted"));
        UUID erased = Database.single(pool, "SELECT member_id FROM members WHERE external_id = $1", run + "-gone").getUUID(0);
        given().delete("/v1/members/{memberId}", erased).then().statusCode(204);

        JsonPath again = finished(start(file).then().statusCode(202).extract().path("jobId"));

        assertEquals(0, again.getInt("rowsAccepted"));
        assertEquals(1, again.getInt("rowsExisting"));
        assertEquals(1, again.getInt("rowsRefused"));
        assertEquals(List.of(List.of(2, "externalId", "ERASED")), errors(again.getString("jobId")).stream()
                .map(error -> List.of(error.get("row"), error.get("field"), error.get("code"))).toList());
        assertEquals(0, Database.single(pool, "SELECT count(*) FROM members WHERE external_id = $1", run + "-gone").getLong(0));
        given().contentType(ContentType.JSON).body(Map.of("externalId", run + "-gone", "name", "Came Back", "channel", "OFFLINE"))
                .post("/v1/members").then().statusCode(201);
    }

    @Test
    void shouldGoOnAfterTheLastCommittedChunkWhenTheInstanceRunningItStops() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int rows = 40_000;
        StringBuilder csv = new StringBuilder("externalId,name,email\n");
        for (int index = 1; index <= rows; index++) {
            csv.append(run).append('-').append(index).append(",Member ").append(index).append(",m").append(index)
                    .append("@example.com\n");
        }
        String file = write(".csv", csv.toString());
        String jobId = start(file).then().statusCode(202).extract().path("jobId");
        UUID job = UUID.fromString(jobId);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Database.single(pool, "SELECT rows_read FROM import_jobs WHERE job_id = $1", job).getLong(0) < 1000) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("The import read no chunk in 60 s");
            }
            sleep(5);
        }

        // The instance running it stops: its lease goes to no one and lapses; its next chunk, not yet
        // committed, rolls back when it finds the lease gone.
        Database.execute(pool, "UPDATE import_jobs SET leased_by = 'stopped-instance', lease_until = now() - interval '1 second' "
                + "WHERE job_id = $1", job);
        long stoppedAt = waitUntilSteady(job);
        assertTrue(stoppedAt < rows, "the import finished before it could be stopped (" + stoppedAt + " rows): nothing was resumed");
        assertEquals("RUNNING", Database.single(pool, "SELECT status FROM import_jobs WHERE job_id = $1", job).getString(0));

        imports.resumeAny().await().atMost(Duration.ofSeconds(120));

        JsonPath done = given().get("/v1/admin/imports/{jobId}", jobId).then().statusCode(200).extract().jsonPath();
        assertEquals("DONE", done.getString("status"));
        assertEquals(rows, done.getInt("rowsRead"));
        assertEquals(rows, done.getInt("rowsAccepted"));
        assertEquals(0, done.getInt("rowsRefused"));
        assertEquals(rows, Database.single(pool, "SELECT count(*) FROM members WHERE import_job_id = $1", job).getLong(0));
        assertEquals(rows, Database.single(pool, "SELECT count(DISTINCT import_row) FROM members WHERE import_job_id = $1", job)
                .getLong(0));
        assertEquals(rows, Database.single(pool, "SELECT count(*) FROM member_accounts a JOIN members m USING (member_id) "
                + "WHERE m.import_job_id = $1", job).getLong(0), "every member with its account");
    }

    /** The rows read once they stop changing: the stopped run has noticed its lease is gone. */
    private long waitUntilSteady(UUID job) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        long last = -1;
        while (Instant.now().isBefore(deadline)) {
            sleep(300);
            long now = Database.single(pool, "SELECT rows_read FROM import_jobs WHERE job_id = $1", job).getLong(0);
            if (now == last) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("The stopped import kept committing chunks for 60 s");
    }

    @Test
    void shouldReadAWorkbookMadeByASpreadsheetProgramWithKoreanHeaders() throws IOException {
        Files.createDirectories(DIRECTORY);
        String file = "members-ko-" + UUID.randomUUID() + ".xlsx";
        try (InputStream workbook = getClass().getResourceAsStream("/imports/members-ko.xlsx")) {
            Files.copy(workbook, DIRECTORY.resolve(file));
        }

        JsonPath job = finished(start(file).then().statusCode(202).body("format", equalTo("XLSX")).extract().path("jobId"));

        assertEquals("DONE", job.getString("status"));
        assertEquals(6, job.getInt("rowsRead"));
        assertEquals(2, job.getInt("rowsAccepted") + job.getInt("rowsExisting"), "ko-0001 and ko-0002, once");
        assertEquals(4, job.getInt("rowsRefused"));
        assertEquals(List.of(List.of(4, "email", "INVALID"), List.of(5, "name", "REQUIRED"), List.of(6, "phone", "INVALID"),
                        List.of(7, "externalId", "DUPLICATE_IN_FILE")),
                errors(job.getString("jobId")).stream().map(error -> List.of(error.get("row"), error.get("field"), error.get("code")))
                        .toList());
        // The spreadsheet program stored the phone as a number and the birth date as a day count.
        given().contentType(ContentType.JSON).body(Map.of("phone", "+821012340001")).post("/v1/members/lookups").then()
                .statusCode(200).body("items", hasSize(1)).body("items[0].name", equalTo("김민지"))
                .body("items[0].birthDate", equalTo("1990-04-01")).body("items[0].region", equalTo("서울"))
                .body("items[0].gender", equalTo("FEMALE")).body("items[0].channel", equalTo("BULK"));
    }

    @Test
    void shouldDownloadTheErrorReportAsCsv() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String file = write(".csv", "externalId,name,phone\n" + run + "-1,,\n" + run + "-2,Ok,12345\n" + run + "-3,Fine,\n");
        String jobId = start(file).then().statusCode(202).extract().path("jobId");
        finished(jobId);

        String report = given().accept("text/csv").get("/v1/admin/imports/{jobId}/error-report", jobId).then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/csv")).extract().asString();

        assertEquals("row,field,code,message\r\n2,name,REQUIRED,must not be blank\r\n"
                + "3,phone,INVALID,must be an E.164 number such as +821012345678\r\n", report);
    }

    @Test
    void shouldRefuseAFileOutsideTheDirectoryAMissingOneAndAHeaderOfUnknownColumns() throws IOException {
        given().contentType(ContentType.JSON).body(Map.of("kind", "MEMBERS", "file", "../pom.xml")).post("/v1/admin/imports")
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED")).body("violations[0].field", equalTo("file"));
        start("no-such-file.csv").then().statusCode(404).body("code", equalTo("IMPORT_FILE_NOT_FOUND"));
        String misspelt = write(".csv", "externalId,nmae,email\nx-1,A,\n");
        start(misspelt).then().statusCode(400).body("code", equalTo("IMPORT_HEADER_INVALID"))
                .body("detail", org.hamcrest.Matchers.containsString("column 2 (\"nmae\") is not a member field"));
        String noName = write(".csv", "externalId,email\nx-1,a@example.com\n");
        start(noName).then().statusCode(400).body("code", equalTo("IMPORT_HEADER_INVALID"))
                .body("detail", org.hamcrest.Matchers.containsString("no name column"));
        String text = write(".txt", "externalId,name\n");
        start(text).then().statusCode(400).body("violations[0].field", equalTo("format"));
        given().get("/v1/admin/imports/{jobId}", UUID.randomUUID()).then().statusCode(404).body("code", equalTo("IMPORT_NOT_FOUND"));
    }
}
