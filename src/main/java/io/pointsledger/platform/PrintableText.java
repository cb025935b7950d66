package io.pointsledger.platform;

/**
 * The one rule for text a client sends: JSON string values, path and query parameters, header
 * values. PostgreSQL refuses NUL in text and jsonb, and a lone UTF-16 surrogate cannot be encoded
 * as UTF-8 at all (the driver would store it as '?'); other control characters are accepted by
 * the database but break logs, CSV exports and terminals that later show the text. No field
 * needs them today, not even free text such as a reason: a reason is one line, and a new field
 * that really needs line breaks should say so explicitly rather than loosen this rule.
 */
public final class PrintableText {

    /** The violation message, the same wherever the rule applies. */
    public static final String VIOLATION = "must not contain control characters or unpaired surrogates";

    private static final char TAB = '\t';

    private PrintableText() {
    }

    /**
     * Text without control characters (C0, DEL and C1, as {@link Character#isISOControl} defines
     * them) and without a surrogate that is not part of a pair.
     */
    public static boolean isPrintable(CharSequence text) {
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            if (Character.isISOControl(character)) {
                return false;
            }
            if (Character.isHighSurrogate(character)) {
                if (index + 1 == text.length() || !Character.isLowSurrogate(text.charAt(index + 1))) {
                    return false;
                }
                index++;
            } else if (Character.isLowSurrogate(character)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A query parameter that filters a list or report by name: null when absent or empty; else
     * printable and at most {@code lengthMax} characters (a longer one names nothing there is), or
     * VALIDATION_FAILED naming the parameter.
     */
    public static String filter(String name, String value, int lengthMax) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > lengthMax || !isPrintable(value)) {
            throw ProblemException.invalid(name, "at most " + lengthMax + " characters; " + VIOLATION);
        }
        return value;
    }

    /**
     * A header value as RFC 9110 allows it: no C0 control character except horizontal tab, no DEL.
     * Header bytes above 0x7F arrive as ISO-8859-1 characters (a UTF-8 "€" reads as U+00E2 U+0082
     * U+00AC), so the C1 range is not refused here.
     */
    public static boolean isHeaderValue(CharSequence value) {
        for (int index = 0; index < value.length(); index++) {
            char character = value.charAt(index);
            if ((character < 0x20 && character != TAB) || character == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /**
     * Someone else's words (a receiver's answer, a network error) made fit to store and show: one
     * line, each control character or unpaired surrogate a '?', at most {@code lengthMax} code points
     * (as PostgreSQL counts a column's length).
     */
    public static String sanitized(String text, int lengthMax) {
        StringBuilder sanitized = new StringBuilder();
        text.codePoints().limit(lengthMax).forEach(point -> sanitized.appendCodePoint(
                Character.isISOControl(point) || Character.getType(point) == Character.SURROGATE ? '?' : point));
        return sanitized.toString();
    }
}
