package io.pointsledger.feedback;

/**
 * What a survey asks about, and so what an answer names as its target: a purchase (the earn's
 * transaction), a reservation the member attended, or, for a survey sent to a segment, nothing
 * but the survey (members the segment admits answer it once).
 */
public enum SurveyTrigger {
    PURCHASE,
    RESERVATION_ATTENDED,
    SEGMENT
}
