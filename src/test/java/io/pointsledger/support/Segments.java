package io.pointsledger.support;

import static io.pointsledger.support.LedgerApi.given;

import java.util.UUID;

/** Segments for tests of other capabilities: saved ones, and waiting out a run measuring in the background. */
public final class Segments {

    private static final long WAIT_NANOS = 120_000_000_000L;

    private Segments() {
    }

    /** A new segment admitting the members of {@code rule}; its id. */
    public static String saved(String rule) {
        return given().contentType("application/json")
                .body(java.util.Map.of("name", "Segment " + UUID.randomUUID(), "rule", rule))
                .post("/v1/admin/segments").then().statusCode(201).extract().path("segmentId");
    }

    /** Returns once no attribute run is open: one runs at a time, and a run asked for over the API measures in the background. */
    public static void awaitNoOpenRun() {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while ("RUNNING".equals(given().queryParam("limit", 1).get("/v1/admin/segment-attribute-runs").then().statusCode(200)
                .extract().path("items[0].status"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("A segment attribute run stayed open");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
