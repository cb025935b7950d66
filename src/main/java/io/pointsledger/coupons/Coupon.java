package io.pointsledger.coupons;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One code: whose it is (null: a bearer code, anyone's who has it), where it is in its life, and
 * what it gives ({@code name}, {@code kind}, its validity). A hold past {@code heldUntil} is over:
 * the code shows as ISSUED.
 */
@Schema(example = """
        {"code": "7KQ2M9XH4TJD3WPA", "definitionId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "name": "500 points",
         "kind": "POINTS", "memberId": "8a1e2f3c-4b5d-6e7f-8091-a2b3c4d5e6f7", "status": "ISSUED",
         "issuedAt": "2026-11-29T08:00:00Z", "validFrom": null, "validUntil": null, "heldUntil": null, "redeemedAt": null}""")
public record Coupon(
        String code,
        UUID definitionId,
        String name,
        CouponKind kind,
        @Schema(nullable = true) UUID memberId,
        CouponStatus status,
        OffsetDateTime issuedAt,
        @Schema(nullable = true) OffsetDateTime validFrom,
        @Schema(nullable = true) OffsetDateTime validUntil,
        @Schema(nullable = true) OffsetDateTime heldUntil,
        @Schema(nullable = true) OffsetDateTime redeemedAt) {
}
