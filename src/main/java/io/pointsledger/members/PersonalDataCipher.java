package io.pointsledger.members;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts personal data at rest with AES-256-GCM and computes blind indexes for exact look-up.
 *
 * <p>A stored value is {@code <key id>:<base64 of IV and ciphertext>}: the key id lets keys
 * rotate (new writes use the active key, old values still decrypt). The member id and field name
 * are authenticated data, so a value copied to another row or column fails to decrypt.
 */
@ApplicationScoped
public class PersonalDataCipher {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKeySpec> keys = new HashMap<>();
    private final String activeKeyId;
    private final SecretKeySpec blindIndexKey;

    PersonalDataCipher(PersonalDataConfig config) {
        for (String entry : config.encryptionKeys()) {
            int separator = entry.indexOf(':');
            if (separator <= 0) {
                throw new IllegalArgumentException("points-ledger.pii.encryption-keys entries are <key id>:<base64 key>");
            }
            byte[] key = Base64.getDecoder().decode(entry.substring(separator + 1).trim());
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("PII key " + entry.substring(0, separator) + " must be 32 bytes");
            }
            keys.put(entry.substring(0, separator).trim(), new SecretKeySpec(key, "AES"));
        }
        if (!keys.containsKey(config.activeKeyId())) {
            throw new IllegalArgumentException("points-ledger.pii.active-key-id names no configured key");
        }
        this.activeKeyId = config.activeKeyId();
        this.blindIndexKey = new SecretKeySpec(Base64.getDecoder().decode(config.blindIndexKey()), "HmacSHA256");
    }

    /** Null for null. */
    public String encrypt(String plaintext, UUID memberId, String field) {
        if (plaintext == null) {
            return null;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(memberId, field));
            byte[] ciphertext = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] stored = ByteBuffer.allocate(IV_BYTES + ciphertext.length).put(iv).put(ciphertext).array();
            return activeKeyId + ':' + Base64.getEncoder().encodeToString(stored);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt " + field, e);
        }
    }

    /** Null for null. */
    public String decrypt(String stored, UUID memberId, String field) {
        if (stored == null) {
            return null;
        }
        int separator = stored.indexOf(':');
        SecretKeySpec key = keys.get(stored.substring(0, separator));
        if (key == null) {
            throw new IllegalStateException("No PII key " + stored.substring(0, separator) + " is configured");
        }
        try {
            byte[] value = Base64.getDecoder().decode(stored.substring(separator + 1));
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, value, 0, IV_BYTES));
            cipher.updateAAD(associatedData(memberId, field));
            return new String(cipher.doFinal(value, IV_BYTES, value.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decrypt " + field + " of member " + memberId, e);
        }
    }

    /** HMAC of the normalised value: equal inputs give equal indexes, and nothing else can be read from it. */
    public byte[] blindIndex(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(blindIndexKey);
            return mac.doFinal((field + ':' + normalise(value)).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot index " + field, e);
        }
    }

    /**
     * HMAC of the value exactly as given, for identifiers compared exactly (an external id is
     * unique with its case): equal inputs give equal indexes, and nothing else can be read from it.
     */
    public byte[] exactIndex(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(blindIndexKey);
            return mac.doFinal((field + '=' + value).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot index " + field, e);
        }
    }

    /**
     * A key for another purpose, derived from the blind-index key (HMAC-SHA256 of the purpose, as
     * HKDF's expand step does): a signature made with it reveals nothing of the index key, and the
     * deployment keeps one secret fewer. Used to sign unsubscribe links.
     */
    public byte[] derivedKey(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(blindIndexKey);
            return mac.doFinal(("points-ledger derived key: " + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot derive a key for " + purpose, e);
        }
    }

    private static String normalise(String value) {
        return value.trim().toLowerCase(Locale.ROOT);
    }

    private static byte[] associatedData(UUID memberId, String field) {
        return (memberId + ":" + field).getBytes(StandardCharsets.UTF_8);
    }
}
