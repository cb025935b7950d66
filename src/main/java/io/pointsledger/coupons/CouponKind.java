package io.pointsledger.coupons;

/**
 * What a coupon gives. {@code POINTS}: points, posted to the member's account through the ledger;
 * {@code PERCENT_OFF} and {@code AMOUNT_OFF}: a discount on the basket; {@code BUY_ONE_GET_ONE}:
 * every second unit of a SKU free; {@code FREE_ITEM}: one unit of a SKU free.
 */
public enum CouponKind {
    POINTS,
    PERCENT_OFF,
    AMOUNT_OFF,
    BUY_ONE_GET_ONE,
    FREE_ITEM
}
