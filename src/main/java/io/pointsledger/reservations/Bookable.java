package io.pointsledger.reservations;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A service members book at a store, in slots of {@code slotMinutes} within its opening hours. */
@Schema(example = """
        {"bookableId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0b", "store": "GANGNAM-01", "service": "Suit fitting", "capacity": 2,
         "slotMinutes": 30, "openingHours": [{"day": "SATURDAY", "opens": "10:00", "closes": "18:00"}], "bookingWindowDays": 14,
         "createdAt": "2026-11-30T09:00:00Z"}""")
public record Bookable(UUID bookableId, String store, String service, int capacity, int slotMinutes, List<OpeningHours> openingHours,
        int bookingWindowDays, OffsetDateTime createdAt) {

    SlotGrid grid() {
        return new SlotGrid(openingHours, slotMinutes);
    }
}
