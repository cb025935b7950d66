package io.pointsledger.offers;

/** ACTIVE until the operator ends it; an ended offer is never shown to members again. */
public enum OfferStatus {
    ACTIVE,
    ENDED
}
