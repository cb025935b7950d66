package io.pointsledger.communication;

/**
 * Through what a member gave or withdrew a consent. {@code UNSUBSCRIBE_LINK} is recorded only by
 * an unsubscribe link; a request cannot claim it.
 */
public enum ConsentSource {
    MEMBER_APP,
    WEBSITE,
    STORE,
    OPERATOR,
    IMPORT,
    UNSUBSCRIBE_LINK
}
