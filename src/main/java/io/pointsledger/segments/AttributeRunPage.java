package io.pointsledger.segments;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of attribute runs, newest first; {@code nextCursor} is null on the last page. */
@Schema(example = """
        {"items": [], "nextCursor": null}""")
public record AttributeRunPage(List<AttributeRun> items, @Schema(nullable = true) String nextCursor) {
}
