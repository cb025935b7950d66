package io.pointsledger.churn;

import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Evaluate at a cutoff whose horizon has passed. */
@Schema(example = """
        {"cutoff": "2011-09-01"}""")
public record ChurnEvaluationRequest(@NotNull java.time.LocalDate cutoff) {
}
