package io.pointsledger.offers;

import io.pointsledger.tiers.Tier;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The offers a member may use now, for their tier as it stands; newest first. */
@Schema(example = """
        {"memberId": "8a1e2f3c-4b5d-6e7f-8091-a2b3c4d5e6f7", "tier": "GOLD", "offers": []}""")
public record MemberOffers(UUID memberId, Tier tier, List<Offer> offers) {
}
