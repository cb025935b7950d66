package io.pointsledger.rewards;

/** A reward is claimable while ACTIVE (and in its window); RETIRED is for good, its claims stay as they are. */
public enum RewardStatus {
    ACTIVE,
    RETIRED
}
