package io.pointsledger.reports;

import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What one campaign added to earns over a period. */
@Schema(example = """
        {"campaignId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "name": "Double points weekend", "grants": 312, "points": 15600}""")
public record CampaignBonus(UUID campaignId, @Schema(nullable = true, description = "As the campaign is named now") String name,
        @Schema(description = "Earns it added to") long grants, long points) {
}
