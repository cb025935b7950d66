package io.pointsledger.communication;

/**
 * PLANNING while its messages are being written (in batches, resumed after a restart); PLANNED
 * once every member of the audience has theirs; CANCELLED: messages not yet sent are skipped.
 */
public enum AnnouncementStatus {
    PLANNING,
    PLANNED,
    CANCELLED
}
