package io.pointsledger.platform;

import jakarta.ws.rs.core.Response.Status;

/**
 * The closed list of error codes the API answers with. Each code has exactly one HTTP status; a
 * client may switch on the code, which never changes meaning once published.
 */
public enum ErrorCode {
    VALIDATION_FAILED(400, "The request has invalid fields"),
    MALFORMED_REQUEST(400, "The request body is not valid JSON of the expected shape"),
    IDEMPOTENCY_KEY_REQUIRED(400, "The Idempotency-Key header is required"),
    UNAUTHENTICATED(401, "A valid API key is required: Authorization: Bearer <key>"),
    FORBIDDEN_SCOPE(403, "The API key lacks the scope this operation needs"),
    NOT_FOUND(404, "No such resource"),
    MEMBER_NOT_FOUND(404, "No such member"),
    PARTNER_NOT_FOUND(404, "No such partner"),
    API_KEY_NOT_FOUND(404, "No such API key"),
    HOLD_NOT_FOUND(404, "No such hold"),
    TRANSFER_NOT_FOUND(404, "No such transaction"),
    CAMPAIGN_NOT_FOUND(404, "No such campaign"),
    COUPON_NOT_FOUND(404, "No such coupon code"),
    COUPON_DEFINITION_NOT_FOUND(404, "No such coupon definition"),
    COUPON_BATCH_NOT_FOUND(404, "No such batch of coupons"),
    OFFER_NOT_FOUND(404, "No such offer"),
    REWARD_NOT_FOUND(404, "No such reward for this member: unknown, retired, or not for the member's tier"),
    CLAIM_NOT_FOUND(404, "No such reward claim for this member"),
    CAUSE_NOT_FOUND(404, "No such cause taking donations"),
    EXPERIMENT_NOT_FOUND(404, "No such A/B test: the campaign has no variants"),
    CHURN_MODEL_NOT_FOUND(404, "No such churn model version"),
    METHOD_NOT_ALLOWED(405, "Method not allowed on this resource"),
    NOT_ACCEPTABLE(406, "The requested media type cannot be produced"),
    CHURN_MODEL_MISSING(409, "No churn model is trained yet: POST /v1/admin/churn-models trains one"),
    CHURN_TRAINING_DATA_INSUFFICIENT(409, "Too little purchase history to learn or judge churn from"),
    CHURN_TRAINING_IN_PROGRESS(409, "A churn model is being trained or evaluated on this instance: retry when it is done"),
    SEGMENT_NOT_FOUND(404, "No such segment"),
    BOOKABLE_NOT_FOUND(404, "No such bookable service"),
    SURVEY_NOT_FOUND(404, "No such survey"),
    SURVEY_TARGET_NOT_FOUND(404, "No such purchase or reservation of this member to answer about"),
    SURVEY_TARGET_NOT_ELIGIBLE(409, "The survey does not ask this member about this target"),
    SURVEY_ALREADY_ANSWERED(409, "The member answered this survey about this target already, otherwise"),
    SURVEY_CLOSED(409, "The survey is closed: it takes no more answers"),
    RESERVATION_NOT_FOUND(404, "No such reservation of this member"),
    RESERVATION_SLOT_FULL(409, "The slot is fully booked"),
    RESERVATION_ALREADY_BOOKED(409, "The member already holds a booking of this slot"),
    RESERVATION_WINDOW_CLOSED(409, "The slot is not open for booking by this member: started, or further ahead than their tier may book"),
    RESERVATION_NOT_CHANGEABLE(409, "The reservation can no longer be changed this way"),
    SEGMENT_NAME_TAKEN(409, "Another segment has this name"),
    SEGMENT_VERSION_MISMATCH(412, "The segment changed since the version named in If-Match"),
    SEGMENT_ATTRIBUTE_RUN_NOT_FOUND(404, "No such segment attribute run"),
    SEGMENT_ATTRIBUTE_RUN_IN_PROGRESS(409, "A segment attribute run is in progress: follow it, then ask again"),
    MEMBER_ALREADY_EXISTS(409, "A member with this external id already exists"),
    INSUFFICIENT_POINTS(409, "Not enough available points"),
    HOLD_NOT_PENDING(409, "The hold was already captured, voided or expired"),
    CAPTURE_EXCEEDS_HOLD(409, "A capture cannot exceed the points held"),
    TRANSFER_NOT_REVERSIBLE(409, "Only earns, redeems and captures can be reversed"),
    REVERSAL_EXCEEDS_ORIGINAL(409, "Reversals would exceed the original transaction"),
    ACTIVE_KEY_LIMIT_REACHED(409, "The partner already has the maximum number of active API keys"),
    CAMPAIGN_STATE_CONFLICT(409, "The campaign cannot make this change in its current status"),
    ACTIVE_CAMPAIGN_LIMIT_REACHED(409, "The maximum number of campaigns is already active"),
    ACTIVE_OFFER_LIMIT_REACHED(409, "The maximum number of offers is already active"),
    COUPON_ALREADY_REDEEMED(409, "The coupon was already redeemed"),
    COUPON_EXPIRED(409, "The coupon's validity has ended"),
    COUPON_NOT_YET_VALID(409, "The coupon's validity has not started"),
    COUPON_OF_ANOTHER_MEMBER(409, "The coupon was issued to another member"),
    COUPON_HELD(409, "The coupon is held for another order"),
    COUPON_NOT_HELD(409, "The coupon is not held for this order"),
    COUPON_LIMIT_REACHED(409, "The member already redeemed as many coupons of this kind as allowed"),
    COUPON_NOT_APPLICABLE(409, "The coupon does not apply to this basket"),
    REWARD_NOT_AVAILABLE(409, "The reward cannot be claimed now: outside its availability window, or its event has started"),
    OUT_OF_STOCK(409, "No units of the reward (or seats of the event) are left"),
    CLAIM_LIMIT_REACHED(409, "The member already holds as many claims of this reward as one member may"),
    PRICE_CHANGED(409, "The reward's price is not the one the claim expected; show the new price and claim again"),
    CLAIM_NOT_PENDING(409, "The claim was already fulfilled or cancelled"),
    CANCELLATION_CLOSED(409, "The event's cancellation cut-off has passed"),
    REWARD_STOCK_CONFLICT(409, "The stock change would take the reward's units below zero, or the reward has no stock limit"),
    CAUSE_STATE_CONFLICT(409, "The cause cannot make this change in its current status"),
    CAMPAIGN_VERSION_MISMATCH(412, "The campaign changed since the version named in If-Match"),
    REWARD_VERSION_MISMATCH(412, "The reward changed since the version named in If-Match"),
    CAUSE_VERSION_MISMATCH(412, "The cause changed since the version named in If-Match"),
    CONTACT_PREFERENCES_VERSION_MISMATCH(412, "The contact preferences changed since the version named in If-Match"),
    MEMBER_VERSION_MISMATCH(412, "The member's profile changed since the version named in If-Match"),
    MEMBER_ERASED(409, "The member's personal data was erased"),
    MEMBER_ALREADY_MIGRATED(409, "The member's opening balance was already brought over"),
    IMPORT_HEADER_INVALID(400, "The file's header row does not name the columns of its kind of import"),
    IMPORT_FILE_NOT_FOUND(404, "No such file in the import directory"),
    IMPORT_NOT_FOUND(404, "No such import"),
    IMPORT_FILE_TOO_LARGE(413, "The file is larger than an import reads"),
    WEBHOOK_NOT_FOUND(404, "No such webhook for this partner"),
    WEBHOOK_SECRET_NOT_FOUND(404, "No such signing secret for this webhook"),
    ANNOUNCEMENT_NOT_FOUND(404, "No such announcement"),
    WEBHOOK_DELIVERY_NOT_FOUND(404, "No such delivery for this webhook"),
    WEBHOOK_LIMIT_REACHED(409, "The partner already has the maximum number of webhooks"),
    WEBHOOK_SECRET_LIMIT_REACHED(409, "The webhook already signs with two secrets: expire the previous one, or wait for it to expire"),
    WEBHOOK_SECRET_IS_CURRENT(409, "The webhook's current secret cannot be expired: rotate it first"),
    UNSUBSCRIBE_LINK_INVALID(400, "The unsubscribe link is not one this program sent, or it has expired"),
    UNSUBSCRIBE_LINK_USED(410, "The unsubscribe link was already used"),
    REQUEST_TOO_LARGE(413, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "The request body must be application/json"),
    IF_MATCH_REQUIRED(428, "The If-Match header naming the version the change is made against is required"),
    IDEMPOTENCY_KEY_REUSED(422, "The Idempotency-Key was already used with a different request"),
    CURRENCY_NOT_ACCEPTED(422, "The program does not accept this currency"),
    NO_POINTS_EARNED(422, "The purchase amount earns no points"),
    RATE_LIMITED(429, "Too many requests from this partner or address; retry after the Retry-After seconds"),
    SERVICE_UNAVAILABLE(503, "A backing service is unavailable; retry with the same Idempotency-Key"),
    INTERNAL_ERROR(500, "Unexpected server error");

    private final int status;
    private final String title;

    ErrorCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** A stable URI naming the problem type, as RFC 9457 asks. */
    public String type() {
        return "https://points-ledger.io/problems/" + name().toLowerCase().replace('_', '-');
    }

    public Status httpStatus() {
        return Status.fromStatusCode(status);
    }
}
