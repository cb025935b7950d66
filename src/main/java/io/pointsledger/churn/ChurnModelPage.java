package io.pointsledger.churn;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of churn models, newest first; {@code nextCursor} is null on the last page. */
@Schema(example = """
        {"items": [], "nextCursor": null}""")
public record ChurnModelPage(List<ChurnModelView> items, @Schema(nullable = true) String nextCursor) {
}
