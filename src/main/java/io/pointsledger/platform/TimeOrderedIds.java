package io.pointsledger.platform;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Ids made one after
 * the other sort near each other, so the primary-key index of an append-only table grows at its
 * right edge instead of touching a random leaf page per insert (random version 4 ids dirty a page
 * each, and a full-page image in the WAL after every checkpoint). The random bits come from a
 * SecureRandom, as {@link UUID#randomUUID()}'s do, so an id cannot be guessed from another.
 */
public final class TimeOrderedIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_RFC = 0x8000_0000_0000_0000L;
    private static final long LOW_62_BITS = 0x3FFF_FFFF_FFFF_FFFFL;
    private static final long LOW_12_BITS = 0x0FFFL;

    private TimeOrderedIds() {
    }

    /** An id for something made at {@code unixMillis}, read from the injected clock by the caller. */
    public static UUID next(long unixMillis) {
        long random = RANDOM.nextLong();
        long mostSignificant = (unixMillis << 16) | VERSION_7 | (random & LOW_12_BITS);
        long leastSignificant = VARIANT_RFC | (RANDOM.nextLong() & LOW_62_BITS);
        return new UUID(mostSignificant, leastSignificant);
    }
}
