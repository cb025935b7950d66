package io.pointsledger.ledger;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An amount of money in minor units (cents, won) of an ISO 4217 currency. Never a float. */
@Schema(description = "An amount in minor units (cents, won) of an ISO 4217 currency.", example = """
        {"value": 12500, "currency": "USD"}""")
public record Money(
        @NotNull @Positive @Max(ApiLimits.AMOUNT_MINOR_UNITS_MAX) Long value,
        @NotNull @Pattern(regexp = ApiLimits.CURRENCY_PATTERN, message = "must be an ISO 4217 code such as USD") String currency)
        implements RequestFingerprint.Fingerprinted {

    @Override
    public void addFields(RequestFingerprint fingerprint) {
        fingerprint.number("value", value).text("currency", currency);
    }
}
