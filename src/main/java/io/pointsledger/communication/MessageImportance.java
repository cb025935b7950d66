package io.pointsledger.communication;

/** How much a message matters: an important one goes out on a second consented channel too. */
public enum MessageImportance {
    NORMAL,
    IMPORTANT
}
