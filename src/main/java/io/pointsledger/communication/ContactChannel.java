package io.pointsledger.communication;

/** The channels a member can be reached on. */
public enum ContactChannel {
    EMAIL,
    SMS,
    PUSH
}
