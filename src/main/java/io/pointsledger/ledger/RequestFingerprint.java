package io.pointsledger.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * SHA-256 of what a write asks for: the operation, the member and the request as parsed. Two
 * requests with the same fingerprint are the same request, so a key reused with another
 * fingerprint is refused rather than replayed. Parsed values are hashed, not raw bytes, so
 * whitespace and field order do not matter.
 */
final class RequestFingerprint {

    private RequestFingerprint() {
    }

    static byte[] of(ObjectMapper mapper, TransferKind kind, UUID memberId, Object request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((kind.name() + '\n' + memberId + '\n').getBytes(StandardCharsets.UTF_8));
            digest.update(mapper.writeValueAsBytes(request));
            return digest.digest();
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("Cannot fingerprint a " + kind + " request", e);
        }
    }
}
