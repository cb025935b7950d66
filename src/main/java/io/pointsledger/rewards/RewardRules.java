package io.pointsledger.rewards;

import io.pointsledger.platform.ProblemException;
import io.pointsledger.tiers.Tier;

/** The rules of a reward's definition, and of how a member sees one; pure, tested without a database. */
final class RewardRules {

    private RewardRules() {
    }

    /** What the annotations cannot say: an event for an EXPERIENCE only, windows in order. Fails with VALIDATION_FAILED. */
    static void validate(RewardRequest request) {
        boolean experience = request.kind() == RewardKind.EXPERIENCE;
        if (experience && request.event() == null) {
            throw ProblemException.invalid("event", "an EXPERIENCE needs its date and venue");
        }
        if (!experience && request.event() != null) {
            throw ProblemException.invalid("event", "only an EXPERIENCE has one");
        }
        if (experience && request.stock() == null) {
            throw ProblemException.invalid("stock", "an EXPERIENCE needs its capacity");
        }
        if (request.availableFrom() != null && request.availableUntil() != null
                && !request.availableFrom().isBefore(request.availableUntil())) {
            throw ProblemException.invalid("availableUntil", "must be after availableFrom");
        }
        RewardEvent event = request.event();
        if (event != null && event.cancellableUntil() != null && event.cancellableUntil().isAfter(event.startsAt())) {
            throw ProblemException.invalid("event.cancellableUntil", "must not be after event.startsAt");
        }
    }

    /** The most any member pays for it. */
    static long highestPrice(Reward reward) {
        return Math.max(reward.points(), reward.pointsByTier().values().stream().mapToLong(Long::longValue).max().orElse(0));
    }

    static long priceFor(Reward reward, Tier tier) {
        return reward.pointsByTier().getOrDefault(tier, reward.points());
    }

    static MemberReward asSeenBy(Reward reward, long held, Tier tier, long available) {
        long price = priceFor(reward, tier);
        boolean inStock = reward.stock() == null || reward.stock() > 0;
        boolean underLimit = reward.perMemberLimit() == null || held < reward.perMemberLimit();
        return new MemberReward(reward.rewardId(), reward.kind(), reward.name(), reward.description(), reward.imageUrls(), price,
                reward.stock(), inStock, held, reward.perMemberLimit(), reward.availableUntil(), reward.event(),
                inStock && underLimit && available >= price);
    }
}
