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
        return wholeNumber("limit", limit, defaultSize, maximum);
    }

    /**
     * A whole number from 1 to {@code maximum} given as text in query parameter {@code name},
     * {@code defaultValue} when left out; anything else is a VALIDATION_FAILED naming the parameter.
     */
    public static int wholeNumber(String name, String text, int defaultValue, int maximum) {
        if (text == null || text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= maximum) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Refused below like any other out-of-range value.
        }
        throw ProblemException.invalid(name, "must be a whole number from 1 to " + maximum);
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
