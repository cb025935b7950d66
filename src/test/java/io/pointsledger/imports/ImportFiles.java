package io.pointsledger.imports;

import static io.pointsledger.support.LedgerApi.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Files put in the test import directory, imports of them started and followed to their end, as an operator would. */
final class ImportFiles {

    static final Path DIRECTORY = Path.of("target/test-imports");
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private ImportFiles() {
    }

    static String write(String prefix, String content) throws IOException {
        Files.createDirectories(DIRECTORY);
        String name = prefix + "-" + UUID.randomUUID() + ".csv";
        Files.writeString(DIRECTORY.resolve(name), content, StandardCharsets.UTF_8);
        return name;
    }

    static String start(String kind, String file) {
        return given().contentType(ContentType.JSON).body(Map.of("kind", kind, "file", file)).post("/v1/admin/imports")
                .then().statusCode(202).extract().path("jobId");
    }

    /** The job once it is no longer RUNNING. */
    static JsonPath finished(String jobId) {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            JsonPath job = given().get("/v1/admin/imports/{jobId}", jobId).then().statusCode(200).extract().jsonPath();
            if (!"RUNNING".equals(job.getString("status"))) {
                return job;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("Import " + jobId + " did not finish in " + DEADLINE);
    }

    /** Each refused row's number, field and code, in report order. */
    static List<List<Object>> errors(String jobId) {
        List<Map<String, Object>> items = given().get("/v1/admin/imports/{jobId}/errors?limit=1000", jobId).then().statusCode(200)
                .extract().path("items");
        return items.stream().map(error -> List.of(error.get("row"), error.get("field"), error.get("code"))).toList();
    }

    /** Members with these external ids, enrolled as the till would. */
    static Map<String, UUID> enroll(String... externalIds) {
        Map<String, UUID> members = new LinkedHashMap<>();
        for (String externalId : externalIds) {
            String memberId = given().contentType(ContentType.JSON)
                    .body(Map.of("externalId", externalId, "name", "Customer " + externalId, "channel", "OFFLINE"))
                    .post("/v1/members").then().statusCode(201).extract().path("memberId");
            members.put(externalId, UUID.fromString(memberId));
        }
        return members;
    }
}
