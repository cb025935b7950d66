package io.pointsledger.members;

/** A member's gender, given only if they choose to. */
public enum Gender {
    FEMALE,
    MALE,
    OTHER
}
