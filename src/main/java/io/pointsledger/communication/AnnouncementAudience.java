package io.pointsledger.communication;

import io.pointsledger.tiers.Tier;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Who an announcement is for: members of these tiers (when the audience is left out: every member). */
@RegisterForReflection(serialization = true)
@Schema(description = "The members of these tiers, at the moment each is planned. Leave the audience out to reach every member.",
        example = """
        {"tiers": ["SILVER", "GOLD"]}""")
public record AnnouncementAudience(@NotEmpty Set<@NotNull Tier> tiers) {
}
