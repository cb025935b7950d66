package io.pointsledger.members;

/** Where a member enrolled: at a till (OFFLINE) or by signing up online (ONLINE). */
public enum EnrollmentChannel {
    ONLINE,
    OFFLINE
}
