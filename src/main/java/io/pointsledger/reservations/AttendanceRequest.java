package io.pointsledger.reservations;

import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Whether the member came. */
@Schema(example = """
        {"outcome": "ATTENDED"}""")
public record AttendanceRequest(@NotNull Outcome outcome) {

    public enum Outcome { ATTENDED, NO_SHOW }
}
