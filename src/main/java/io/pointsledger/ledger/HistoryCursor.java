package io.pointsledger.ledger;

import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** An opaque page cursor: the ledger sequence of the last transfer a page showed. */
final class HistoryCursor {

    private static final String PREFIX = "t1:";

    private HistoryCursor() {
    }

    static String encode(long sequence) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + sequence).getBytes(StandardCharsets.UTF_8));
    }

    /** The sequence to continue below; {@code Long.MAX_VALUE} for the first page. */
    static long decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(PREFIX)) {
                long sequence = Long.parseLong(decoded.substring(PREFIX.length()));
                if (sequence > 0) {
                    return sequence;
                }
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the refusal below: NumberFormatException is an IllegalArgumentException.
        }
        throw new ProblemException(ErrorCode.VALIDATION_FAILED, "cursor: not a cursor this API returned");
    }
}
