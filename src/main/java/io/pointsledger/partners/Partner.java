package io.pointsledger.partners;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/** A partner channel with its keys (never the keys themselves, only their ids and prefixes). */
public record Partner(String partnerId, String name, Set<Scope> scopes, int rateLimitPerSecond,
        OffsetDateTime createdAt, List<ApiKeyView> keys) {

    public record ApiKeyView(String keyId, String keyPrefix, OffsetDateTime createdAt, OffsetDateTime revokedAt) {
    }
}
