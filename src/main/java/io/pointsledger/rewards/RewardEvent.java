package io.pointsledger.rewards;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An EXPERIENCE's date and place, and until when a member may cancel a seat (left out: until it starts). */
@Schema(example = """
        {"startsAt": "2026-12-18T19:00:00+09:00", "venue": "Seoul flagship store, 3rd floor",
         "cancellableUntil": "2026-12-17T18:00:00+09:00"}""")
public record RewardEvent(
        @NotNull OffsetDateTime startsAt,
        @NotBlank @Size(max = ApiLimits.NAME_LENGTH_MAX) String venue,
        @Schema(nullable = true, description = "Members' cancellations close then; left out: when the event starts")
        OffsetDateTime cancellableUntil) {

    OffsetDateTime cancellationCutOff() {
        return cancellableUntil == null ? startsAt : cancellableUntil;
    }
}
