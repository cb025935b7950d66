package io.pointsledger.campaigns;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The active campaigns as the answering instance applies them now, and the revision of that copy. */
@Schema(example = """
        {"revision": 12, "campaigns": []}""")
public record ActiveCampaignSet(long revision, List<Campaign> campaigns) {
}
