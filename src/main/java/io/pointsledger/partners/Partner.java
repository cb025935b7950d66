package io.pointsledger.partners;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A partner channel with its keys (never the keys themselves, only their ids and prefixes). */
@RegisterForReflection(serialization = true)
@Schema(description = "A partner channel with its keys (only their ids and prefixes, never the keys).", example = """
        {"partnerId": "5a1f3e2d-7c4b-4d9a-8e6f-1b2c3d4e5f60", "name": "Card Co rewards", "scopes": ["earn", "read"],
         "rateLimitPerSecond": 200, "createdAt": "2026-11-29T08:00:00Z",
         "keys": [{"keyId": "c4e8a1b2-9d3f-4e6a-b7c5-2f1e0d9c8b7a", "keyPrefix": "plk_Xq3vT9aB",
                   "createdAt": "2026-11-29T08:01:00Z", "revokedAt": null}]}""")
public record Partner(String partnerId, String name, Set<Scope> scopes, int rateLimitPerSecond,
        OffsetDateTime createdAt, List<ApiKeyView> keys) {

    @RegisterForReflection(serialization = true)
    public record ApiKeyView(String keyId, String keyPrefix, OffsetDateTime createdAt,
            @Schema(nullable = true) OffsetDateTime revokedAt) {
    }
}
