package io.pointsledger.coupons;

import io.pointsledger.ledger.LineItem;
import io.pointsledger.ledger.Money;
import io.pointsledger.platform.ApiLimits;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What makes a coupon definition sound, whether a coupon may be used now, and what it gives a basket. */
final class CouponRules {

    /** The value field each kind needs; the others must be left out. */
    private static final Map<CouponKind, String> VALUE_FIELD = Map.of(
            CouponKind.POINTS, "points",
            CouponKind.PERCENT_OFF, "percentOffBasisPoints",
            CouponKind.AMOUNT_OFF, "amountOff",
            CouponKind.BUY_ONE_GET_ONE, "sku",
            CouponKind.FREE_ITEM, "sku");

    private CouponRules() {
    }

    /** Fails with VALIDATION_FAILED naming the field. */
    static void validate(CouponDefinitionRequest definition) {
        String needed = VALUE_FIELD.get(definition.kind());
        requireOnlyIf(definition.points() != null, "points", needed);
        requireOnlyIf(definition.percentOffBasisPoints() != null, "percentOffBasisPoints", needed);
        requireOnlyIf(definition.amountOff() != null, "amountOff", needed);
        requireOnlyIf(definition.sku() != null, "sku", needed);
        if (definition.sku() != null && definition.sku().isBlank()) {
            throw ProblemException.invalid("sku", "must not be blank");
        }
        if (definition.validFrom() != null && definition.validUntil() != null
                && !definition.validFrom().isBefore(definition.validUntil())) {
            throw ProblemException.invalid("validUntil", "must be after validFrom");
        }
    }

    private static void requireOnlyIf(boolean present, String field, String needed) {
        if (present != field.equals(needed)) {
            throw ProblemException.invalid(field, present ? "not used by this kind of coupon; give " + needed
                    : "required by this kind of coupon");
        }
    }

    /** Fails with COUPON_NOT_YET_VALID or COUPON_EXPIRED. */
    static void requireValidAt(CouponDefinitionRequest definition, OffsetDateTime now) {
        if (definition.validFrom() != null && now.isBefore(definition.validFrom())) {
            throw new ProblemException(ErrorCode.COUPON_NOT_YET_VALID, "The coupon is valid from " + definition.validFrom());
        }
        if (definition.validUntil() != null && !now.isBefore(definition.validUntil())) {
            throw new ProblemException(ErrorCode.COUPON_EXPIRED, "The coupon was valid until " + definition.validUntil());
        }
    }

    /**
     * What the coupon gives {@code basket}. Fails with CURRENCY_NOT_ACCEPTED, or COUPON_NOT_APPLICABLE
     * when the basket is below the minimum spend, lacks the amount a discount is taken from, or the
     * item a free-item coupon names.
     */
    static CouponRedemption give(String code, UUID definitionId, CouponDefinitionRequest definition, Basket basket,
            String currency) {
        Money amount = basket.amount();
        if (amount != null && !currency.equals(amount.currency())) {
            throw new ProblemException(ErrorCode.CURRENCY_NOT_ACCEPTED, "amount.currency: this program is in " + currency);
        }
        if (definition.minimumSpend() != null && (amount == null || amount.value() < definition.minimumSpend())) {
            throw new ProblemException(ErrorCode.COUPON_NOT_APPLICABLE, "The basket must cost at least "
                    + definition.minimumSpend() + " (minor units of " + currency + ")");
        }
        return switch (definition.kind()) {
            case POINTS -> redemption(code, definitionId, definition, basket, null, List.of(), definition.points());
            case PERCENT_OFF -> redemption(code, definitionId, definition, basket,
                    new Money(percentOf(requireAmount(amount), definition.percentOffBasisPoints()), currency), List.of(), null);
            case AMOUNT_OFF -> redemption(code, definitionId, definition, basket,
                    new Money(Math.min(definition.amountOff(), requireAmount(amount)), currency), List.of(), null);
            case BUY_ONE_GET_ONE -> freeUnits(code, definitionId, definition, basket, currency, true);
            case FREE_ITEM -> freeUnits(code, definitionId, definition, basket, currency, false);
        };
    }

    /** Every second unit of the SKU ({@code everySecond}), or one unit, at its lowest unit price in the basket. */
    private static CouponRedemption freeUnits(String code, UUID definitionId, CouponDefinitionRequest definition,
            Basket basket, String currency, boolean everySecond) {
        long units = 0;
        long lowestPrice = Long.MAX_VALUE;
        for (LineItem item : basket.itemsOrEmpty()) {
            if (definition.sku().equals(item.sku())) {
                units += item.quantity();
                lowestPrice = Math.min(lowestPrice, item.unitPrice());
            }
        }
        long free = everySecond ? units / 2 : Math.min(units, 1);
        if (free == 0) {
            throw new ProblemException(ErrorCode.COUPON_NOT_APPLICABLE, everySecond
                    ? "The basket needs two units of " + definition.sku() : "The basket has no " + definition.sku());
        }
        Money discount = new Money(multiplySaturated(free, lowestPrice), currency);
        return redemption(code, definitionId, definition, basket, discount,
                List.of(new CouponRedemption.FreeItem(definition.sku(), free)), null);
    }

    private static long requireAmount(Money amount) {
        if (amount == null) {
            throw new ProblemException(ErrorCode.COUPON_NOT_APPLICABLE, "amount: a discount is taken from the basket's amount");
        }
        return amount.value();
    }

    private static long percentOf(long amount, int basisPoints) {
        return BigInteger.valueOf(amount).multiply(BigInteger.valueOf(basisPoints))
                .divide(BigInteger.valueOf(ApiLimits.BASIS_POINTS_WHOLE)).longValueExact();
    }

    private static long multiplySaturated(long first, long second) {
        try {
            return Math.multiplyExact(first, second);
        } catch (ArithmeticException e) {
            return ApiLimits.AMOUNT_MINOR_UNITS_MAX;
        }
    }

    private static CouponRedemption redemption(String code, UUID definitionId, CouponDefinitionRequest definition,
            Basket basket, Money discount, List<CouponRedemption.FreeItem> freeItems, Long points) {
        return new CouponRedemption(code, definitionId, definition.kind(), basket.memberId(), basket.orderId(), discount,
                freeItems, points, null);
    }
}
