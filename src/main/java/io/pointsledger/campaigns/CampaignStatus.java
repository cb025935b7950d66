package io.pointsledger.campaigns;

/**
 * Where a campaign is in its life. Only {@link #ACTIVE} campaigns apply. A draft is activated, an
 * active campaign paused and activated again, and any campaign ended, for good.
 */
public enum CampaignStatus {
    DRAFT,
    ACTIVE,
    PAUSED,
    ENDED;

    /** Whether a campaign in this status may move to {@code next} (moving to where it is changes nothing). */
    boolean mayBecome(CampaignStatus next) {
        return switch (next) {
            case DRAFT -> this == DRAFT;
            case ACTIVE -> this != ENDED;
            case PAUSED -> this == ACTIVE || this == PAUSED;
            case ENDED -> true;
        };
    }
}
