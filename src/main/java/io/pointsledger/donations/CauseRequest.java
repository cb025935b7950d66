package io.pointsledger.donations;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A cause members may give points to, and how the program matches their gifts. */
@Schema(example = """
        {"name": "Children's hospital winter appeal", "description": "Every 1 000 points buys a meal",
         "matching": {"rateBasisPoints": 1000, "budgetPoints": 500000}}""")
public record CauseRequest(
        @NotBlank @Size(max = ApiLimits.NAME_LENGTH_MAX) String name,
        @Schema(nullable = true) @Size(max = ApiLimits.DESCRIPTION_LENGTH_MAX) String description,
        @Schema(nullable = true, description = "Left out: no matching") @Valid CauseMatching matching) {

    CauseMatching matchingOrNone() {
        return matching == null ? CauseMatching.NONE : matching;
    }
}
