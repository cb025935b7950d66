package io.pointsledger.reservations;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A bookable's slots from one day to another (program time zone), each with what is left of its capacity. */
@Schema(example = """
        {"bookableId": "0190f0a4-7b1c-7d3e-9a2b-5c6d7e8f9a0b", "from": "2026-12-05", "to": "2026-12-05",
         "slots": [{"startsAt": "2026-12-05T10:00:00Z", "endsAt": "2026-12-05T10:30:00Z", "capacity": 2, "booked": 1, "available": 1}]}""")
public record Availability(UUID bookableId, LocalDate from, LocalDate to, List<Slot> slots) {

    /** One slot; {@code available} is capacity less bookings. */
    public record Slot(OffsetDateTime startsAt, OffsetDateTime endsAt, int capacity, int booked, int available) {
    }
}
