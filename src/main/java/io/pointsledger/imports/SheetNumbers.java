package io.pointsledger.imports;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Whole numbers as files write them: digits, or a spreadsheet's 1500.0. A thousands separator
 * (1 500, 1,500) or a fraction (1500.5) is no whole number: refused, never guessed.
 */
final class SheetNumbers {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("^[0-9]{1,19}(\\.0+)?$");

    private SheetNumbers() {
    }

    /** The number, when the text is a whole number from {@code minimum} to {@code maximum}. */
    static Result whole(String text, long minimum, long maximum) {
        if (!WHOLE_NUMBER.matcher(text).matches()) {
            return new Result(null, false);
        }
        BigDecimal number = new BigDecimal(text);
        if (number.compareTo(BigDecimal.valueOf(minimum)) < 0 || number.compareTo(BigDecimal.valueOf(maximum)) > 0) {
            return new Result(null, true);
        }
        return new Result(number.longValueExact(), true);
    }

    /** {@code value} null: not a whole number ({@code wellFormed} false) or out of range ({@code wellFormed} true). */
    record Result(Long value, boolean wellFormed) {
    }
}
