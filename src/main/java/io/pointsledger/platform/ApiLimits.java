package io.pointsledger.platform;

/** Limits that belong to the request contract, documented in the README and the OpenAPI document. */
public final class ApiLimits {

    /** Points in one transfer; far above any purchase, far below where sums could overflow. */
    public static final long TRANSFER_POINTS_MAX = 1_000_000_000L;
    /** One purchase amount in minor units (10^13: a hundred billion of a two-decimal currency). */
    public static final long AMOUNT_MINOR_UNITS_MAX = 10_000_000_000_000L;
    public static final int IDEMPOTENCY_KEY_LENGTH_MAX = 128;
    public static final int EXTERNAL_ID_LENGTH_MAX = 64;
    public static final int NAME_LENGTH_MAX = 100;
    public static final int EMAIL_LENGTH_MAX = 254;
    /** A member's region as the program names it ("Seoul", "Busan"): what segments and announcements select by. */
    public static final int REGION_LENGTH_MAX = 64;
    /** A BCP 47 language with an optional region, as announcements are written in: "ko", "en", "en-GB". */
    public static final String LANGUAGE_PATTERN = "^[a-z]{2,3}(-[A-Z]{2})?$";
    public static final int ORDER_ID_LENGTH_MAX = 64;
    public static final int SKU_LENGTH_MAX = 64;
    public static final int CATEGORY_LENGTH_MAX = 64;
    public static final int ITEMS_MAX = 200;
    public static final int REASON_LENGTH_MAX = 200;
    public static final int ITEM_QUANTITY_MAX = 100_000;
    public static final int HISTORY_PAGE_SIZE_MAX = 500;
    public static final int DESCRIPTION_LENGTH_MAX = 500;
    public static final int PARTNER_ID_LENGTH_MAX = 64;
    /** Entries in one list of a campaign's conditions (channels, partners, SKUs, categories, tiers). */
    public static final int CAMPAIGN_LIST_MAX = 100;
    public static final int CAMPAIGN_PRIORITY_MAX = 1000;
    /** A campaign multiplier above 1× (10 000 basis points), at most 10×. */
    public static final int CAMPAIGN_MULTIPLIER_MIN = 10_001;
    public static final int CAMPAIGN_MULTIPLIER_MAX = 100_000;
    public static final long CAMPAIGN_BONUS_POINTS_MAX = 1_000_000L;
    /** Variants of one campaign run as an A/B test, and a variant's name. */
    public static final int CAMPAIGN_VARIANTS_MAX = 5;
    public static final int VARIANT_NAME_LENGTH_MAX = 32;
    /** A share in basis points: 10 000 is the whole. */
    public static final int BASIS_POINTS_WHOLE = 10_000;
    /** Coupons of one definition a member may be allowed to redeem. */
    public static final int COUPON_PER_MEMBER_LIMIT_MAX = 1_000;
    /** Codes one batch issues. */
    public static final int COUPON_BATCH_MAX = 1_000_000;
    /** A coupon code as issued (16) or typed by a partner's own system: letters and digits. */
    public static final int COUPON_CODE_LENGTH_MAX = 32;
    /** A campaign's total budget: a thousand transfers of the most points one may carry. */
    public static final long CAMPAIGN_BUDGET_POINTS_MAX = 1_000_000_000_000L;
    /**
     * The years a time in a request may fall in: ISO 8601 writes others with a sign
     * ("+300000-01-01"), PostgreSQL cannot compare or store some of them, and no program means one.
     */
    public static final int YEAR_MIN = 1;
    public static final int YEAR_MAX = 9999;
    public static final String E164_PATTERN = "^\\+[1-9][0-9]{6,14}$";
    public static final String CURRENCY_PATTERN = "^[A-Z]{3}$";

    /** A segment rule: its length, its conditions, how deep its parentheses and NOTs nest, values in one IN. */
    public static final int SEGMENT_RULE_LENGTH_MAX = 1000;
    public static final int SEGMENT_RULE_CONDITIONS_MAX = 32;
    public static final int SEGMENT_RULE_DEPTH_MAX = 8;
    public static final int SEGMENT_RULE_VALUES_MAX = 50;

    /** Bookings one slot of a bookable takes at most. */
    public static final int BOOKABLE_CAPACITY_MAX = 10_000;

    private ApiLimits() {
    }
}
