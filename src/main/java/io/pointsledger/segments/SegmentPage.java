package io.pointsledger.segments;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of segments, newest first; {@code nextCursor} is null on the last page. */
@Schema(example = """
        {"items": [], "nextCursor": null}""")
public record SegmentPage(List<Segment> items, @Schema(nullable = true) String nextCursor) {
}
