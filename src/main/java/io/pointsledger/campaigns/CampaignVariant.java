package io.pointsledger.campaigns;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One arm of a campaign run as an A/B test: the share of members it gets (basis points; the
 * variants' shares add up to 10 000), and its effect, or none (a holdout: exposed, given nothing).
 * Exactly one variant is the {@code control} the others are compared with.
 */
@Schema(example = """
        {"name": "double", "shareBasisPoints": 4500, "control": false, "effect": {"multiplierBasisPoints": 20000}}""")
public record CampaignVariant(
        @NotBlank @Size(max = ApiLimits.VARIANT_NAME_LENGTH_MAX) @Pattern(regexp = "[A-Za-z0-9_-]+",
                message = "must be letters, digits, - and _") String name,
        @NotNull @Min(1) @Max(ApiLimits.BASIS_POINTS_WHOLE) Integer shareBasisPoints,
        @Schema(nullable = true, description = "The variant the others are compared with (default false)") Boolean control,
        @Schema(nullable = true, description = "Left out: a holdout, which gets nothing") @Valid CampaignEffect effect) {

    boolean isControl() {
        return Boolean.TRUE.equals(control);
    }
}
