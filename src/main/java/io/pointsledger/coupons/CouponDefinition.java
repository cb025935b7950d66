package io.pointsledger.coupons;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A coupon definition as stored: never changed once written (issue codes of a new one instead). */
@Schema(example = """
        {"definitionId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b",
         "definition": {"name": "500 points", "description": null, "kind": "POINTS", "points": 500,
                        "percentOffBasisPoints": null, "amountOff": null, "sku": null, "minimumSpend": null,
                        "validFrom": null, "validUntil": null, "perMemberLimit": 1},
         "createdAt": "2026-11-29T08:00:00Z"}""")
public record CouponDefinition(UUID definitionId, CouponDefinitionRequest definition, OffsetDateTime createdAt) {
}
