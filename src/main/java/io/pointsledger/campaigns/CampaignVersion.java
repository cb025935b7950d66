package io.pointsledger.campaigns;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One version of a campaign as it was written, by whom and when. */
@Schema(example = """
        {"campaignId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "version": 1, "status": "DRAFT",
         "definition": {"name": "Double points on coffee this weekend", "trigger": "PURCHASE", "priority": 10,
                        "effect": {"multiplierBasisPoints": 20000}},
         "changedAt": "2026-11-29T08:00:00Z", "changedBy": "operator"}""")
public record CampaignVersion(UUID campaignId, long version, CampaignStatus status, CampaignDefinition definition,
        OffsetDateTime changedAt, String changedBy) {
}
