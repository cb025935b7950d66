package io.pointsledger.segments;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A segment to save, or what a saved one becomes. */
@Schema(example = """
        {"name": "Young in Seoul", "description": "Members in their twenties in Seoul", "rule": "region = 'Seoul' AND age 20-29"}""")
public record SegmentRequest(
        @NotBlank @Size(max = ApiLimits.NAME_LENGTH_MAX) String name,
        @Schema(nullable = true) @Size(max = ApiLimits.DESCRIPTION_LENGTH_MAX) String description,
        @Schema(description = "Conditions on R, F, M (scores 1-5), recency (days), frequency, monetary (minor units), age, region, "
                + "tier and churnRisk (0-1), joined by AND, OR, NOT and parentheses; comparisons =, !=, <, <=, >, >=, IN (…) "
                + "and ranges such as age 20-29") @NotBlank @Size(max = ApiLimits.SEGMENT_RULE_LENGTH_MAX) String rule) {
}
