package io.pointsledger.feedback;

/** RATING: 1 to 5 (CSAT counts 4 and 5 as satisfied); NPS: 0 to 10; a choice among the options; free text. */
public enum QuestionKind {
    RATING,
    NPS,
    SINGLE_CHOICE,
    MULTIPLE_CHOICE,
    TEXT
}
