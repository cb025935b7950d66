package io.pointsledger.webhooks;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How many dead deliveries were put back, and whether more are left for another request. */
@RegisterForReflection(serialization = true)
@Schema(example = """
        {"replayed": 120, "more": false}""")
public record ReplayResult(int replayed, boolean more) {
}
