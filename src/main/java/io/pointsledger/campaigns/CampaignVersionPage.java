package io.pointsledger.campaigns;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A campaign's versions, newest first; {@code nextCursor} continues the list, null on its last page. */
@Schema(example = """
        {"items": [], "nextCursor": null}""")
public record CampaignVersionPage(List<CampaignVersion> items, @Schema(nullable = true) String nextCursor) {
}
