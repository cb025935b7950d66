package io.pointsledger.partners;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A freshly issued key: the only time {@code apiKey} is ever shown. */
@RegisterForReflection(serialization = true)
@Schema(description = "A freshly issued key: the only time apiKey is ever shown.", example = """
        {"keyId": "c4e8a1b2-9d3f-4e6a-b7c5-2f1e0d9c8b7a", "partnerId": "5a1f3e2d-7c4b-4d9a-8e6f-1b2c3d4e5f60",
         "apiKey": "plk_Xq3vT9aBn2Kc8LpQ4rS7tU1vW5xY0zA3bC6dE9fG2hJ", "keyPrefix": "plk_Xq3vT9aB",
         "createdAt": "2026-11-29T08:01:00Z"}""")
public record IssuedApiKey(String keyId, String partnerId, String apiKey, String keyPrefix, OffsetDateTime createdAt) {
}
