package io.pointsledger.partners;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API keys: 256 random bits, shown once. Only the SHA-256 is stored: with keys this random a
 * slow password hash adds nothing, and a fast hash keeps authentication cheap.
 */
final class ApiKeys {

    static final String PREFIX = "plk_";
    private static final int KEY_BYTES = 32;
    /** Base64url characters without padding for {@link #KEY_BYTES}: ceil(32 * 8 / 6). */
    private static final int ENCODED_LENGTH = 43;
    private static final int DISPLAY_PREFIX_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    static String generate() {
        byte[] secret = new byte[KEY_BYTES];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /**
     * Whether {@code presented} has the shape of a key {@link #generate()} makes. Anything else
     * cannot be an issued key, so it is refused without asking the database.
     */
    static boolean isWellFormed(String presented) {
        if (presented.length() != PREFIX.length() + ENCODED_LENGTH || !presented.startsWith(PREFIX)) {
            return false;
        }
        for (int index = PREFIX.length(); index < presented.length(); index++) {
            if (!isBase64UrlCharacter(presented.charAt(index))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBase64UrlCharacter(char character) {
        return (character >= 'A' && character <= 'Z') || (character >= 'a' && character <= 'z')
                || (character >= '0' && character <= '9') || character == '-' || character == '_';
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Enough of the key to recognise it in a list, too little to use it. */
    static String displayPrefix(String key) {
        return key.substring(0, DISPLAY_PREFIX_LENGTH);
    }
}
