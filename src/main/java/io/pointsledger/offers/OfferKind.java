package io.pointsledger.offers;

/** What an offer is: a member-only discount, an invitation to an event, a product kept for some tiers, a service. */
public enum OfferKind {
    DISCOUNT,
    EVENT_INVITATION,
    LIMITED_PRODUCT,
    SERVICE
}
