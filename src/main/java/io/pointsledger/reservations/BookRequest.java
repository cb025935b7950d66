package io.pointsledger.reservations;

import jakarta.validation.constraints.NotNull;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A slot to book: the bookable, and the start of one of its slots as availability gives it. */
@Schema(example = """
        {"bookableId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0b", "startsAt": "2026-12-05T10:30:00Z"}""")
public record BookRequest(@NotNull UUID bookableId, @NotNull OffsetDateTime startsAt) {
}
