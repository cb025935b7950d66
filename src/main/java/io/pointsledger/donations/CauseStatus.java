package io.pointsledger.donations;

/** A cause takes donations while ACTIVE; CLOSED is for good, its account and statements stay. */
public enum CauseStatus {
    ACTIVE,
    CLOSED
}
