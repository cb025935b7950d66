package io.pointsledger.tiers;

/** Membership tiers, lowest first. */
public enum Tier {
    BASIC,
    SILVER,
    GOLD
}
