package io.pointsledger.reservations;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of bookables, newest first; {@code nextCursor} is null on the last page. */
@Schema(example = """
        {"items": [], "nextCursor": null}""")
public record BookablePage(List<Bookable> items, @Schema(nullable = true) String nextCursor) {
}
