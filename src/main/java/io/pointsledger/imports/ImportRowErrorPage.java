package io.pointsledger.imports;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Refused rows, in row order. */
@Schema(description = "Why rows were refused, in row order; nextCursor is null on the last page.", example = """
        {"items": [{"row": 17, "field": "phone", "code": "INVALID", "message": "must be an E.164 number such as +821012345678"},
                   {"row": 40, "field": "externalId", "code": "DUPLICATE_IN_FILE", "message": "repeats the externalId of row 12"}],
         "nextCursor": "aW1wb3J0LWVycm9yczoy"}""")
public record ImportRowErrorPage(List<ImportRowError> items, @Schema(nullable = true) String nextCursor) {
}
