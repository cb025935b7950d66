package io.pointsledger.communication;

import io.pointsledger.tiers.Tier;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.pointsledger.platform.ProblemException;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Who an announcement is for: the members of these tiers, or of this saved segment (one of the two;
 * when the audience is left out: every member).
 */
@RegisterForReflection(serialization = true)
@Schema(description = "The members of these tiers, or of this saved segment (one of the two), at the moment each is planned. "
        + "Leave the audience out to reach every member.",
        example = """
        {"tiers": ["SILVER", "GOLD"], "segmentId": null}""")
public record AnnouncementAudience(
        @Schema(nullable = true) @Size(min = 1, max = 3) Set<@NotNull Tier> tiers,
        @Schema(nullable = true, description = "A saved segment: its rule is evaluated as each batch is planned") UUID segmentId) {

    /** Exactly one of tiers and segment: a segment's rule can name tiers itself. */
    void requireOneKind() {
        if ((tiers == null) == (segmentId == null)) {
            throw ProblemException.invalid("audience", "name tiers or a segmentId, one of the two");
        }
    }
}
