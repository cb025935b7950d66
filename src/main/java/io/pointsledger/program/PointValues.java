package io.pointsledger.program;

import java.math.BigInteger;

/** What points are worth in minor units of the program currency, at its point value. */
public final class PointValues {

    private static final BigInteger THOUSAND = BigInteger.valueOf(1000);

    private PointValues() {
    }

    /** {@code points} at {@code perThousandPoints} minor units a thousand, rounded half up; exact whatever the sizes. */
    public static long value(long points, long perThousandPoints) {
        BigInteger scaled = BigInteger.valueOf(points).multiply(BigInteger.valueOf(perThousandPoints));
        BigInteger half = points >= 0 ? THOUSAND.shiftRight(1) : THOUSAND.shiftRight(1).negate();
        return scaled.add(half).divide(THOUSAND).longValueExact();
    }
}
