package io.pointsledger.platform;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Cursor pagination over an append-only sequence, newest first. A cursor is opaque to clients:
 * the sequence of the last entry a page showed, tagged with what it pages through so that a
 * cursor from one list is refused by another.
 */
public final class Paging {

    private Paging() {
    }

    /** The page size asked for, as text so that "ten" is a VALIDATION_FAILED like 501 (JAX-RS would answer 404). */
    public static int pageSize(String limit, int defaultSize, int maximum) {
        if (limit == null || limit.isEmpty()) {
            return defaultSize;
        }
        try {
            int pageSize = Integer.parseInt(limit);
            if (pageSize >= 1 && pageSize <= maximum) {
                return pageSize;
            }
        } catch (NumberFormatException e) {
            // Refused below like any other out-of-range value.
        }
        throw ProblemException.invalid("limit", "must be a whole number from 1 to " + maximum);
    }

    public static String encodeCursor(String list, long sequence) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((list + ':' + sequence).getBytes(StandardCharsets.UTF_8));
    }

    /** The sequence to continue below; {@code Long.MAX_VALUE} for the first page. */
    public static long decodeCursor(String list, String cursor) {
        return decodeCursor(list, cursor, Long.MAX_VALUE);
    }

    /** As {@link #decodeCursor(String, String)}, for a list in another order: {@code first} when there is no cursor. */
    public static long decodeCursor(String list, String cursor, long first) {
        if (cursor == null || cursor.isEmpty()) {
            return first;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(list + ':')) {
                long sequence = Long.parseLong(decoded.substring(list.length() + 1));
                if (sequence > 0) {
                    return sequence;
                }
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the refusal: NumberFormatException is an IllegalArgumentException.
        }
        throw ProblemException.invalid("cursor", "not a cursor this list returned");
    }

    /** A cursor for a list in id order: the last id of the page. */
    public static String encodeCursor(String list, UUID after) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((list + ':' + after).getBytes(StandardCharsets.UTF_8));
    }

    /** The id to continue after; {@code first} when there is no cursor. */
    public static UUID decodeIdCursor(String list, String cursor, UUID first) {
        if (cursor == null || cursor.isEmpty()) {
            return first;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(list + ':')) {
                return UUID.fromString(decoded.substring(list.length() + 1));
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the refusal.
        }
        throw ProblemException.invalid("cursor", "not a cursor this list returned");
    }
}
