package io.pointsledger.reservations;

import jakarta.validation.constraints.NotNull;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Another slot of the same bookable. */
@Schema(example = """
        {"startsAt": "2026-12-05T11:00:00Z"}""")
public record ChangeRequest(@NotNull OffsetDateTime startsAt) {
}
