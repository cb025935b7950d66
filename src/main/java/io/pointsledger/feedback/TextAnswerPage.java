package io.pointsledger.feedback;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of text answers, newest first; {@code nextCursor} is null on the last page. */
@Schema(example = """
        {"items": [], "nextCursor": null}""")
public record TextAnswerPage(List<TextAnswer> items, @Schema(nullable = true) String nextCursor) {
}
