package io.pointsledger.imports;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Imports, newest first. */
@Schema(description = "Imports, newest first; nextCursor is null on the last page.", example = """
        {"items": [{"jobId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "kind": "MEMBERS", "format": "CSV",
                    "file": "members-2026-11.csv", "channel": "BULK", "postPoints": false, "status": "DONE", "rowsRead": 1000000,
                    "rowsAccepted": 989900, "rowsExisting": 100, "rowsRefused": 10000, "progress": 1.0,
                    "rowsPerSecond": 9100.0, "secondsLeft": 0, "failure": null, "createdAt": "2026-11-29T09:15:00Z",
                    "finishedAt": "2026-11-29T09:16:50Z"}],
         "nextCursor": null}""")
public record ImportJobPage(List<ImportJob> items, @Schema(nullable = true) String nextCursor) {
}
