package io.pointsledger.members;

/**
 * Where a member enrolled: at a till (OFFLINE), by signing up online (ONLINE), or brought over in
 * bulk from another system (BULK: an import that is a migration, not a sign-up).
 */
public enum EnrollmentChannel {
    ONLINE,
    OFFLINE,
    BULK
}
