package io.pointsledger.reservations;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A member's booking of one slot of a bookable. */
@Schema(example = """
        {"reservationId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0c", "memberId": "0b4f8d52-52c8-4c2e-9d4b-8a4f6e1b2c3d",
         "bookableId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0b", "store": "GANGNAM-01", "service": "Suit fitting",
         "startsAt": "2026-12-05T10:30:00Z", "endsAt": "2026-12-05T11:00:00Z", "status": "BOOKED", "version": 1,
         "createdAt": "2026-11-30T09:00:00Z", "updatedAt": "2026-11-30T09:00:00Z"}""")
public record Reservation(UUID reservationId, UUID memberId, UUID bookableId, String store, String service, OffsetDateTime startsAt,
        OffsetDateTime endsAt, ReservationStatus status, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
