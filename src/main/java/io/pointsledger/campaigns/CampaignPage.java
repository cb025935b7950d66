package io.pointsledger.campaigns;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Campaigns, newest first; {@code nextCursor} continues the list, null on its last page. */
@Schema(example = """
        {"items": [], "nextCursor": null}""")
public record CampaignPage(List<Campaign> items, @Schema(nullable = true) String nextCursor) {
}
