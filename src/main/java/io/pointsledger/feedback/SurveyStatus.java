package io.pointsledger.feedback;

/** ACTIVE takes answers; CLOSED takes none, and keeps its answers and reports. */
public enum SurveyStatus {
    ACTIVE,
    CLOSED
}
