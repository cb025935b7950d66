package io.pointsledger.partners;

import java.time.OffsetDateTime;

/** A freshly issued key: the only time {@code apiKey} is ever shown. */
public record IssuedApiKey(String keyId, String partnerId, String apiKey, String keyPrefix, OffsetDateTime createdAt) {
}
