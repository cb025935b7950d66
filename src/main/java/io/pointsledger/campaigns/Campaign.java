package io.pointsledger.campaigns;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A campaign at one version: its definition, where it is in its life, and since when.
 * {@code budgetGranted}: the bonus points granted from its total budget so far, as the answer was
 * read (null when it has no total budget).
 */
@Schema(example = """
        {"campaignId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "version": 2, "status": "ACTIVE",
         "definition": {"name": "Double points on coffee this weekend", "description": null, "trigger": "PURCHASE",
                        "priority": 10, "exclusive": false, "conditions": {"categories": ["coffee"]},
                        "effect": {"multiplierBasisPoints": 20000}, "budget": {"totalPoints": 500000}},
         "budgetGranted": 12500, "createdAt": "2026-11-29T08:00:00Z", "updatedAt": "2026-11-29T09:00:00Z"}""")
public record Campaign(
        UUID campaignId,
        long version,
        CampaignStatus status,
        CampaignDefinition definition,
        @Schema(nullable = true) Long budgetGranted,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    /** The member's variant when the campaign is run as an A/B test, else null. */
    CampaignVariant variantOf(UUID memberId) {
        return definition.hasVariants() ? VariantAssignment.of(campaignId, memberId, definition.variants()) : null;
    }

    /** The effect the campaign applies to the member: its own, or their variant's (none for a holdout). */
    CampaignEffect effectFor(CampaignVariant variant) {
        return variant == null ? definition.effect() : variant.effect();
    }
}
