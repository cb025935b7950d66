package io.pointsledger.rewards;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Rewards, newest first; {@code nextCursor} continues the list, null on its last page. */
@Schema(example = """
        {"items": [], "nextCursor": null}""")
public record RewardPage(List<Reward> items, @Schema(nullable = true) String nextCursor) {
}
