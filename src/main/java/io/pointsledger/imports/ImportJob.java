package io.pointsledger.imports;

import io.pointsledger.members.EnrollmentChannel;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An import and how far it is. Rows count data rows (the header is row 1, so the first data row
 * is row 2); {@code progress} and {@code secondsLeft} are estimated from the bytes read.
 */
@RegisterForReflection(serialization = true)
@Schema(description = "An import and how far it is. rowsRead = rowsAccepted + rowsExisting + rowsRefused; rowsExisting: "
        + "external ids enrolled before (re-running a file changes nothing); progress (0 to 1) and secondsLeft are "
        + "estimated from the bytes read; rowsPerSecond since it started; postPoints: a purchase history import that "
        + "posts the points each purchase earned.", example = """
        {"jobId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "kind": "MEMBERS", "format": "CSV", "file": "members-2026-11.csv",
         "channel": "BULK", "postPoints": false, "status": "RUNNING", "rowsRead": 250000, "rowsAccepted": 247400, "rowsExisting": 100,
         "rowsRefused": 2500, "progress": 0.25, "rowsPerSecond": 8200.5, "secondsLeft": 91,
         "failure": null, "createdAt": "2026-11-29T09:15:00Z", "finishedAt": null}""")
public record ImportJob(UUID jobId, ImportKind kind, ImportFormat format, String file, EnrollmentChannel channel,
        boolean postPoints, ImportStatus status, long rowsRead, long rowsAccepted, long rowsExisting, long rowsRefused, double progress,
        double rowsPerSecond, @Schema(nullable = true) Long secondsLeft, @Schema(nullable = true) String failure,
        OffsetDateTime createdAt, @Schema(nullable = true) OffsetDateTime finishedAt) {
}
