package io.pointsledger.partners;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/** A partner channel with its keys (never the keys themselves, only their ids and prefixes). */
@RegisterForReflection(serialization = true)
public record Partner(String partnerId, String name, Set<Scope> scopes, int rateLimitPerSecond,
        OffsetDateTime createdAt, List<ApiKeyView> keys) {

    @RegisterForReflection(serialization = true)
    public record ApiKeyView(String keyId, String keyPrefix, OffsetDateTime createdAt, OffsetDateTime revokedAt) {
    }
}
