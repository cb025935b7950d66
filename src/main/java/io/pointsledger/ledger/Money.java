package io.pointsledger.ledger;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/** An amount of money in minor units (cents, won) of an ISO 4217 currency. Never a float. */
public record Money(
        @NotNull @Positive @Max(ApiLimits.AMOUNT_MINOR_UNITS_MAX) Long value,
        @NotNull @Pattern(regexp = ApiLimits.CURRENCY_PATTERN, message = "must be an ISO 4217 code such as USD") String currency) {
}
