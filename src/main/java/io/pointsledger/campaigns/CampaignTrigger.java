package io.pointsledger.campaigns;

/** What a campaign reacts to. A purchase: an earn, as it is written. */
public enum CampaignTrigger {
    PURCHASE
}
