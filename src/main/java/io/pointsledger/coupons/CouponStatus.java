package io.pointsledger.coupons;

/** Where a code is in its life: issued, held for a checkout, or redeemed (for good). */
public enum CouponStatus {
    ISSUED,
    HELD,
    REDEEMED
}
