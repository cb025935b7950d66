package io.pointsledger.rewards;

/** A claim is CLAIMED until the reward is handed over (FULFILLED) or the claim is CANCELLED, its points given back. */
public enum ClaimStatus {
    CLAIMED,
    FULFILLED,
    CANCELLED
}
