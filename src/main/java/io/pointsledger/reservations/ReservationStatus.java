package io.pointsledger.reservations;

/** BOOKED until the slot: then ATTENDED or NO_SHOW as recorded; CANCELLED by the member before it. */
public enum ReservationStatus {
    BOOKED,
    CANCELLED,
    ATTENDED,
    NO_SHOW
}
