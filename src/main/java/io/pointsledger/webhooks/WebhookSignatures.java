package io.pointsledger.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing as the Standard Webhooks specification has it (standardwebhooks.com), so that a
 * receiver may verify with one of its libraries: HMAC-SHA256 over {@code id "." timestamp "." body}
 * under the base64-decoded key of a {@code whsec_} secret, sent as
 * {@code webhook-signature: v1,<base64>}, one per secret still signing, separated by spaces.
 */
final class WebhookSignatures {

    static final String SECRET_PREFIX = "whsec_";
    /** 256 bits: as long as the hash, the most HMAC-SHA256 makes use of. */
    static final int KEY_BYTES = 32;
    /** What a list shows of a secret: enough to tell two apart, nothing to sign with. */
    static final int DISPLAY_PREFIX_LENGTH = SECRET_PREFIX.length() + 6;
    private static final String VERSION = "v1,";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignatures() {
    }

    static String newSecret() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    static String displayPrefix(String secret) {
        return secret.substring(0, DISPLAY_PREFIX_LENGTH);
    }

    static byte[] keyOf(String secret) {
        return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    }

    /** The webhook-signature header: a signature under each key, in the order given. */
    static String signatureHeader(String messageId, long timestampSeconds, String body, List<byte[]> keys) {
        byte[] signed = (messageId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder();
        for (byte[] key : keys) {
            if (!header.isEmpty()) {
                header.append(' ');
            }
            header.append(VERSION).append(Base64.getEncoder().encodeToString(hmac(key, signed)));
        }
        return header.toString();
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", impossible);
        }
    }
}
