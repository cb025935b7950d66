package io.pointsledger.churn;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Train as of a day (default today): on what was known before it. */
@RegisterForReflection
@Schema(example = """
        {"asOf": "2026-11-30"}""")
public record ChurnTrainingRequest(@Schema(nullable = true) LocalDate asOf) {
}
