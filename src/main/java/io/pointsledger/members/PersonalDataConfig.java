package io.pointsledger.members;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/**
 * Keys protecting members' personal data. Production supplies them through the environment
 * (POINTS_LEDGER_PII_*); dev mode and tests use fixed, public development keys. A production start
 * refuses keys that are not 32 bytes or are published in this repository (platform.ProductionSettings).
 */
@ConfigMapping(prefix = "points-ledger.pii")
public interface PersonalDataConfig {

    /** AES-256 keys as {@code <key id>:<base64 of 32 bytes>}; old ids stay listed so old values decrypt. */
    @NotEmpty
    List<String> encryptionKeys();

    /** The key id new values are encrypted with. */
    String activeKeyId();

    /** Base64 HMAC-SHA256 key of the blind indexes (exact-match look-up without decrypting). */
    String blindIndexKey();
}
