package io.pointsledger.offers;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An offer as stored. */
@Schema(example = """
        {"offerId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "status": "ACTIVE",
         "definition": {"name": "Launch evening for GOLD members", "description": null, "kind": "EVENT_INVITATION",
                        "eligibility": {"tiers": ["GOLD"]}, "validFrom": null, "validUntil": "2026-12-10T00:00:00+09:00",
                        "percentOffBasisPoints": null, "sku": null, "eventAt": "2026-12-10T19:00:00+09:00",
                        "venue": "Seoul flagship store", "couponDefinitionId": null},
         "createdAt": "2026-11-29T08:00:00Z", "endedAt": null}""")
public record Offer(UUID offerId, OfferStatus status, OfferRequest definition, OffsetDateTime createdAt,
        @Schema(nullable = true) OffsetDateTime endedAt) {
}
