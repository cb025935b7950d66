package io.pointsledger.feedback;

import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One question's answers in a report: how many answered, how many gave each value (each option,
 * each score; text answers are listed apart), and by kind the mean, CSAT (share of ratings 4 and 5)
 * and NPS (promoters 9–10 less detractors 0–6), each with its 95 % interval.
 */
@Schema(example = """
        {"id": "overall", "kind": "RATING", "answered": 120, "distribution": {"1": 3, "2": 5, "3": 14, "4": 40, "5": 58},
         "mean": 4.2, "csat": {"value": 0.8167, "low": 0.737, "high": 0.876}, "nps": null}""")
public record QuestionReport(String id, QuestionKind kind, long answered, Map<String, Long> distribution,
        @Schema(nullable = true) Double mean, @Schema(nullable = true) Estimate csat, @Schema(nullable = true) Estimate nps) {
}
