package io.pointsledger.communication;

/**
 * Where a message stands. PENDING until a provider took it (SENT) or it was given up (FAILED: its
 * retry window ran out, or the provider refused it for good); SKIPPED when, at the moment of
 * sending, the member could no longer be reached on its channel (consent withdrawn, no address,
 * erased): consent is checked when a message is planned and again when it goes out.
 */
public enum MessageStatus {
    PENDING,
    SENT,
    FAILED,
    SKIPPED
}
