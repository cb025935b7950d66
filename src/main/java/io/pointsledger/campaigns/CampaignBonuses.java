package io.pointsledger.campaigns;

import io.pointsledger.ledger.BonusRules;
import io.pointsledger.ledger.PurchaseBonus;
import io.pointsledger.ledger.PurchaseBonuses;
import io.pointsledger.ledger.PurchaseFacts;
import io.pointsledger.program.ProgramConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The campaigns as the write path applies them to an earn: in memory, in priority order. Stacking:
 * every campaign a purchase meets adds its bonus, computed on the program rule's points (never on
 * another bonus); an exclusive campaign applies alone, so it is skipped when a campaign of higher
 * priority already applied, and once it applies no campaign after it does.
 */
@ApplicationScoped
public class CampaignBonuses implements BonusRules {

    private final ActiveCampaigns active;
    private final ZoneId timeZone;

    CampaignBonuses(ActiveCampaigns active, ProgramConfig program) {
        this.active = active;
        this.timeZone = program.timeZone();
    }

    @Override
    public boolean ready() {
        return active.current().loaded();
    }

    @Override
    public PurchaseBonuses inForce() {
        ActiveCampaigns.Snapshot snapshot = active.current();
        if (!snapshot.loaded()) {
            throw new IllegalStateException("An earn reached the write path before the active campaigns were loaded");
        }
        List<Campaign> campaigns = snapshot.campaigns();
        return campaigns.isEmpty() ? PurchaseBonuses.NONE : purchase -> bonuses(campaigns, purchase);
    }

    private List<PurchaseBonus> bonuses(List<Campaign> campaigns, PurchaseFacts purchase) {
        List<PurchaseBonus> bonuses = new ArrayList<>();
        for (Campaign campaign : campaigns) {
            boolean exclusive = campaign.definition().isExclusive();
            if (exclusive && !bonuses.isEmpty()) {
                continue;
            }
            long points = CampaignRules.bonus(campaign.definition(), purchase, timeZone);
            if (points <= 0) {
                continue;
            }
            bonuses.add(new PurchaseBonus(campaign.campaignId(), campaign.version(), points));
            if (exclusive) {
                break;
            }
        }
        return bonuses;
    }
}
