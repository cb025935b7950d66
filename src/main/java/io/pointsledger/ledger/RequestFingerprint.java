package io.pointsledger.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * What a write asks for, as a version byte and the SHA-256 of the operation, the member (or the
 * hold or transfer acted on) and the request's fields. Two requests with the same fingerprint are
 * the same request, so a key reused with another fingerprint is refused rather than replayed.
 *
 * <p>The request's fields go in one by one, each with its name, and a field without a value adds
 * nothing: a later release that adds an optional field computes the same fingerprint for every
 * request that does not use it. That matters because stored fingerprints outlive a deploy (for the
 * key retention, 24 h by default): a client's retry across an upgrade must still be recognised as
 * a retry, not refused as a reused key (a client that took that refusal for a failure and sent the
 * write again under a new key would apply it twice). Values are hashed as parsed, not as the bytes
 * sent, so whitespace, field order and an instant's offset do not matter. A change of what goes in
 * for existing fields needs a new {@link #VERSION}; {@code RequestFingerprintTest} pins the bytes.
 *
 * <p>Encoding (version 1), all integers big-endian: a field is its name's UTF-8 length (int32) and
 * bytes, then a type byte and its value: {@code T} text as length (int32) and UTF-8 bytes;
 * {@code N} an int64; {@code B} one byte, 1 or 0; {@code I} an instant as epoch seconds (int64)
 * and nanoseconds (int32); {@code O} an object's fields, then {@code o}; {@code L} the count
 * (int32), then each element as an object field with an empty name. The kind ({@code kind}) and
 * the member, hold or transfer ({@code subject}) go first, as text.
 */
public final class RequestFingerprint {

    /** The first byte of every fingerprint this release computes. */
    static final byte VERSION = 1;
    private static final int SHA_256_LENGTH = 32;

    /** A request that states the fields that identify it. */
    public interface Fingerprinted {
        void addFields(RequestFingerprint fingerprint);
    }

    /** A request with no fields (a void). */
    public static final Fingerprinted NO_FIELDS = fingerprint -> {
    };

    private final MessageDigest digest;

    private RequestFingerprint() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("No SHA-256 on this JVM", e);
        }
    }

    static byte[] of(TransferKind kind, UUID subject, Fingerprinted request) {
        RequestFingerprint fingerprint = new RequestFingerprint();
        fingerprint.text("kind", kind.name()).text("subject", subject.toString());
        request.addFields(fingerprint);
        byte[] versioned = new byte[1 + SHA_256_LENGTH];
        versioned[0] = VERSION;
        System.arraycopy(fingerprint.digest.digest(), 0, versioned, 1, SHA_256_LENGTH);
        return versioned;
    }

    public RequestFingerprint text(String name, String value) {
        if (value != null) {
            field(name, 'T').bytes(value.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    public RequestFingerprint number(String name, Long value) {
        if (value != null) {
            field(name, 'N').digest.update(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
        }
        return this;
    }

    public RequestFingerprint number(String name, Integer value) {
        return number(name, value == null ? null : value.longValue());
    }

    public RequestFingerprint flag(String name, Boolean value) {
        if (value != null) {
            field(name, 'B').digest.update((byte) (value ? 1 : 0));
        }
        return this;
    }

    /** The instant, whatever offset it was written with. */
    public RequestFingerprint time(String name, OffsetDateTime value) {
        if (value != null) {
            field(name, 'I').digest.update(ByteBuffer.allocate(Long.BYTES + Integer.BYTES)
                    .putLong(value.toEpochSecond()).putInt(value.getNano()).array());
        }
        return this;
    }

    public RequestFingerprint object(String name, Fingerprinted value) {
        if (value != null) {
            field(name, 'O');
            value.addFields(this);
            digest.update((byte) 'o');
        }
        return this;
    }

    /** The elements in order, each as an object. */
    public RequestFingerprint list(String name, List<? extends Fingerprinted> values) {
        if (values != null) {
            field(name, 'L').digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(values.size()).array());
            values.forEach(value -> object("", value));
        }
        return this;
    }

    /** Length-prefixed, so that no two different sequences of fields hash the same input. */
    private RequestFingerprint field(String name, char type) {
        bytes(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) type);
        return this;
    }

    private RequestFingerprint bytes(byte[] value) {
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(value.length).array());
        digest.update(value);
        return this;
    }

    /**
     * Whether a stored fingerprint is the posting's. A 32-byte one (no version byte: the SHA-256 of
     * the request's Jackson form) was stored by the releases before this one: compared with
     * {@link Posting#legacyFingerprint()}. A versioned one is compared with the posting's own.
     */
    static boolean sameRequest(byte[] stored, Posting posting) {
        if (stored.length == SHA_256_LENGTH && posting.legacyFingerprint() != null) {
            return Arrays.equals(stored, posting.legacyFingerprint());
        }
        return Arrays.equals(stored, posting.fingerprint());
    }

    /**
     * The fingerprint the releases before this one stored, which this release still compares with
     * the answers they stored. The release after, once no stored answer holds this form (a key
     * retention after this release), removes it with {@link Posting#legacyFingerprint()}.
     */
    static byte[] legacy(ObjectMapper mapper, TransferKind kind, UUID subject, Object request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((kind.name() + '\n' + subject + '\n').getBytes(StandardCharsets.UTF_8));
            digest.update(mapper.writeValueAsBytes(request));
            return digest.digest();
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("Cannot fingerprint a " + kind + " request", e);
        }
    }
}
