package io.pointsledger.coupons;

import io.pointsledger.platform.ApiLimits;
import io.pointsledger.platform.ProblemException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Coupon codes: 16 characters from 32 that cannot be mistaken for one another (no 0/O, 1/I), 80
 * random bits from a SecureRandom. A million codes in circulation leave a guesser one chance in
 * 10^18 per try; the rate limits bound the tries.
 */
final class CouponCodes {

    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final int LENGTH = 16;
    private static final Pattern VALID = Pattern.compile("[A-Z0-9]{6," + ApiLimits.COUPON_CODE_LENGTH_MAX + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private CouponCodes() {
    }

    static String next() {
        char[] code = new char[LENGTH];
        for (int index = 0; index < LENGTH; index++) {
            code[index] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(code);
    }

    static String[] next(int count) {
        String[] codes = new String[count];
        for (int index = 0; index < count; index++) {
            codes[index] = next();
        }
        return codes;
    }

    /** A code as typed (any case, no spaces): upper case. Fails with VALIDATION_FAILED naming the code. */
    static String normalized(String code) {
        String upper = code == null ? "" : code.strip().toUpperCase(Locale.ROOT);
        if (!VALID.matcher(upper).matches()) {
            throw ProblemException.invalid("code", "must be 6 to " + ApiLimits.COUPON_CODE_LENGTH_MAX
                    + " letters and digits, as issued");
        }
        return upper;
    }
}
