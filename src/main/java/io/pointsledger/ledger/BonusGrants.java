package io.pointsledger.ledger;

import io.pointsledger.platform.ApiLimits;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What one batch grants of the campaigns' bonuses. Each bonus, as the rules decide it, is cut to
 * what is left of the most points one transfer may carry, of its campaign's budget and of the
 * member's cap for it; a campaign with nothing left is as one that does not apply. Budgets were locked and member grants
 * read with the batch's accounts, so what is left here is what is left in the ledger: no other
 * transaction can spend it before this one commits.
 */
final class BonusGrants {

    private final PurchaseBonuses rules;
    /** Per budgeted campaign: granted as locked, then with this batch's grants. */
    private final Map<UUID, Long> budgetGranted;
    /** Per member and capped campaign: granted as read, then with this batch's grants. */
    private final Map<LedgerState.CampaignMember, Long> memberGranted;
    /** The occasions rewarded, as read, then with this batch's. */
    private final Set<LedgerState.Occasion> occasions;
    /** The campaigns whose member grants and occasions were read: a cap or occasion not read grants nothing. */
    private final Set<UUID> capsRead;
    private final Set<UUID> occasionsRead;
    private final BatchEffects effects;
    /** When the batch's exposures to A/B tests happened: the time its transfers are recorded at. */
    private final OffsetDateTime exposedAt;

    BonusGrants(PurchaseBonuses rules, LedgerState state, BatchEffects effects, OffsetDateTime exposedAt) {
        this.rules = rules;
        this.budgetGranted = new HashMap<>(state.bonuses().budgetsGranted());
        this.memberGranted = new HashMap<>(state.bonuses().memberGrants());
        this.occasions = new HashSet<>(state.bonuses().occasions());
        this.capsRead = state.bonuses().capsRead();
        this.occasionsRead = state.bonuses().occasionsRead();
        this.effects = effects;
        this.exposedAt = exposedAt;
    }

    /** The bonuses {@code earn} is granted, each within what is left of its limits. */
    List<PurchaseBonus> bonusesFor(EarnFacts earn) {
        return List.copyOf(rules.bonusesFor(earn, new Allowance(earn)));
    }

    /** One earn's allowance: what is left of the most points one transfer may carry goes down with each bonus. */
    private final class Allowance implements BonusAllowance {

        private final EarnFacts earn;
        private long room;

        Allowance(EarnFacts earn) {
            this.earn = earn;
            this.room = ApiLimits.TRANSFER_POINTS_MAX - earn.points();
        }

        @Override
        public long grant(UUID campaignId, long wanted, String onceKey) {
            BonusLimit limit = rules.limitOf(campaignId);
            LedgerState.CampaignMember member = new LedgerState.CampaignMember(earn.memberId(), campaignId);
            LedgerState.Occasion occasion = onceKey == null ? null
                    : new LedgerState.Occasion(earn.memberId(), campaignId, onceKey);
            if (occasion != null && (!occasionsRead.contains(campaignId) || occasions.contains(occasion))) {
                return 0;
            }
            long allowed = Math.min(Math.min(wanted, room), Math.min(budgetLeft(campaignId, limit), memberLeft(member, limit)));
            if (allowed <= 0) {
                return 0;
            }
            room -= allowed;
            record(campaignId, member, limit, allowed);
            if (occasion != null) {
                occasions.add(occasion);
                effects.occasions.add(occasion);
            }
            return allowed;
        }

        @Override
        public void expose(UUID campaignId, String variant, long points) {
            effects.exposures.merge(new LedgerState.CampaignMember(earn.memberId(), campaignId),
                    new BatchEffects.Exposure(variant, exposedAt, points),
                    (first, later) -> new BatchEffects.Exposure(first.variant(), first.exposedAt(), first.points() + later.points()));
        }
    }

    /** Whether {@code occasion}, granted by its own grantor (a coupon's definition), is the member's first: then it is recorded. */
    boolean grantOnce(UUID memberId, BonusOccasion occasion) {
        LedgerState.Occasion granted = new LedgerState.Occasion(memberId, occasion.grantorId(), occasion.key());
        if (!occasionsRead.contains(occasion.grantorId()) || !occasions.add(granted)) {
            return false;
        }
        effects.occasions.add(granted);
        return true;
    }

    /** A budget the batch did not lock (its row missing) grants nothing: never more than the budget. Likewise below for caps and occasions. */
    private long budgetLeft(UUID campaignId, BonusLimit limit) {
        if (!limit.isBudgeted()) {
            return Long.MAX_VALUE;
        }
        Long granted = budgetGranted.get(campaignId);
        return granted == null ? 0 : Math.max(limit.totalPoints() - granted, 0);
    }

    private long memberLeft(LedgerState.CampaignMember member, BonusLimit limit) {
        if (!limit.capsMembers()) {
            return Long.MAX_VALUE;
        }
        if (!capsRead.contains(member.campaignId())) {
            return 0;
        }
        return Math.max(limit.perMemberPoints() - memberGranted.getOrDefault(member, 0L), 0);
    }

    private void record(UUID campaignId, LedgerState.CampaignMember member, BonusLimit limit, long points) {
        if (limit.isBudgeted()) {
            budgetGranted.merge(campaignId, points, Long::sum);
            effects.budgetsSpent.merge(campaignId, points, Long::sum);
        }
        if (limit.capsMembers()) {
            memberGranted.merge(member, points, Long::sum);
            effects.memberGrants.merge(member, points, Long::sum);
        }
    }
}
