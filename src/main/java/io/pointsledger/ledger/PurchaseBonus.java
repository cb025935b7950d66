package io.pointsledger.ledger;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Points a campaign added to an earn, and the version of the campaign that decided them. */
@RegisterForReflection(serialization = true)
@Schema(example = """
        {"campaignId": "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", "campaignVersion": 3, "points": 125}""")
public record PurchaseBonus(UUID campaignId, long campaignVersion, long points) {
}
