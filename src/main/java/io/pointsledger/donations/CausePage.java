package io.pointsledger.donations;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Causes, newest first; {@code nextCursor} continues the list, null on its last page. */
@Schema(example = """
        {"items": [], "nextCursor": null}""")
public record CausePage(List<Cause> items, @Schema(nullable = true) String nextCursor) {
}
