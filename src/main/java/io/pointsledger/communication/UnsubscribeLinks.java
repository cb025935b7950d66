package io.pointsledger.communication;

import io.pointsledger.members.PersonalDataCipher;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tokens of one-click unsubscribe links (RFC 8058), one per message: who, which channel, a
 * token id and when, signed with HMAC-SHA256 under a key of their own. Nothing is stored when a
 * token is made; the service recognises its own by the signature, and records a token's id only
 * when it is used, so that it works once.
 *
 * <p>Form: {@code base64url(payload) "." base64url(signature)}, the payload being a format byte,
 * the member id, the channel, the token id and the second it was made: 42 bytes, about a hundred
 * characters in all.
 */
@ApplicationScoped
public class UnsubscribeLinks {

    private static final byte FORMAT = 1;
    private static final int PAYLOAD_BYTES = 1 + 16 + 1 + 16 + 8;
    private static final int SIGNATURE_BYTES = 32;
    /** Longest token read: anything longer is refused before it is decoded. */
    static final int TOKEN_LENGTH_MAX = 128;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Duration lifetime;
    private final Clock clock;

    UnsubscribeLinks(PersonalDataCipher cipher, CommunicationConfig config, Clock clock) {
        this.key = new SecretKeySpec(cipher.derivedKey("unsubscribe-links"), "HmacSHA256");
        this.lifetime = config.unsubscribeLinkLifetime();
        this.clock = clock;
    }

    /** What a valid token says. */
    public record Link(UUID memberId, ContactChannel channel, UUID tokenId, Instant issuedAt) {
    }

    /** A new token for one message to {@code memberId} on {@code channel}. */
    public String tokenFor(UUID memberId, ContactChannel channel) {
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD_BYTES)
                .put(FORMAT)
                .putLong(memberId.getMostSignificantBits()).putLong(memberId.getLeastSignificantBits())
                .put((byte) channel.ordinal());
        UUID tokenId = UUID.randomUUID();
        payload.putLong(tokenId.getMostSignificantBits()).putLong(tokenId.getLeastSignificantBits())
                .putLong(clock.instant().getEpochSecond());
        byte[] bytes = payload.array();
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(sign(bytes));
    }

    /** The link a token stands for. Fails with UNSUBSCRIBE_LINK_INVALID: not signed here, malformed, or expired. */
    public Link read(String token) {
        byte[] payload = verifiedPayload(token);
        ByteBuffer buffer = ByteBuffer.wrap(payload, 1, PAYLOAD_BYTES - 1);
        UUID memberId = new UUID(buffer.getLong(), buffer.getLong());
        int channel = buffer.get();
        UUID tokenId = new UUID(buffer.getLong(), buffer.getLong());
        Instant issuedAt = Instant.ofEpochSecond(buffer.getLong());
        if (channel < 0 || channel >= ContactChannel.values().length) {
            throw invalid("it names no channel");
        }
        if (issuedAt.plus(lifetime).isBefore(clock.instant())) {
            throw invalid("it expired " + lifetime.toDays() + " days after the message was sent");
        }
        return new Link(memberId, ContactChannel.values()[channel], tokenId, issuedAt);
    }

    private byte[] verifiedPayload(String token) {
        if (token == null || token.length() > TOKEN_LENGTH_MAX) {
            throw invalid("it is not a token this program made");
        }
        int dot = token.indexOf('.');
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(token.substring(0, Math.max(dot, 0)));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid("it is not a token this program made");
        }
        // One spelling per token: base64 leaves the last character's low bits unused, and a decoder
        // ignores them, so "…A" and "…B" would both pass for the same signature.
        boolean canonical = dot >= 0 && token.equals(ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(signature));
        if (!canonical || payload.length != PAYLOAD_BYTES || payload[0] != FORMAT || signature.length != SIGNATURE_BYTES
                || !MessageDigest.isEqual(sign(payload), signature)) {
            throw invalid("it is not a token this program made");
        }
        return payload;
    }

    private byte[] sign(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign an unsubscribe link", e);
        }
    }

    private static ProblemException invalid(String why) {
        return new ProblemException(ErrorCode.UNSUBSCRIBE_LINK_INVALID, "This unsubscribe link cannot be used: " + why);
    }
}
