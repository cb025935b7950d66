package io.pointsledger.offers;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Offers, newest first; {@code nextCursor} continues the list, null on its last page. */
@Schema(example = """
        {"items": [], "nextCursor": null}""")
public record OfferPage(List<Offer> items, @Schema(nullable = true) String nextCursor) {
}
