package io.pointsledger.coupons;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A batch of codes being issued: how many of how many, and since when. RUNNING until all are issued. */
@Schema(example = """
        {"batchId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5c", "definitionId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b",
         "status": "RUNNING", "requested": 100000, "issued": 42000, "createdAt": "2026-11-29T08:00:00Z",
         "finishedAt": null}""")
public record CouponBatch(UUID batchId, UUID definitionId, Status status, int requested, int issued,
        OffsetDateTime createdAt, @Schema(nullable = true) OffsetDateTime finishedAt) {

    /** RUNNING while codes are being issued, DONE once all are. */
    public enum Status {
        RUNNING,
        DONE
    }
}
