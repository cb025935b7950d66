package io.pointsledger.audit;

/** The administrative actions the audit log records. */
public enum AuditAction {
    PARTNER_CREATED,
    API_KEY_ISSUED,
    API_KEY_REVOKED,
    MEMBER_ERASED,
    MEMBERS_LOOKED_UP,
    POINTS_ADJUSTED,
    CAMPAIGN_CREATED,
    CAMPAIGN_UPDATED,
    CAMPAIGN_ACTIVATED,
    CAMPAIGN_PAUSED,
    CAMPAIGN_ENDED,
    COUPON_DEFINITION_CREATED,
    COUPONS_ISSUED,
    COUPON_REDEEMED,
    PROGRAM_CHANGED
}
