package io.pointsledger.segments;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a segment's members in member id order; {@code nextCursor} is null on the last page. */
@Schema(example = """
        {"items": [], "nextCursor": null}""")
public record SegmentMemberPage(List<MemberAttributes> items, @Schema(nullable = true) String nextCursor) {
}
