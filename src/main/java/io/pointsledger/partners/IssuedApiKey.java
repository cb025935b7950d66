package io.pointsledger.partners;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;

/** A freshly issued key: the only time {@code apiKey} is ever shown. */
@RegisterForReflection(serialization = true)
public record IssuedApiKey(String keyId, String partnerId, String apiKey, String keyPrefix, OffsetDateTime createdAt) {
}
