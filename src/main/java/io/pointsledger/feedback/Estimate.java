package io.pointsledger.feedback;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A figure from a sample and its 95 % confidence interval. */
@Schema(example = """
        {"value": 0.82, "low": 0.74, "high": 0.88}""")
public record Estimate(double value, double low, double high) {
}
