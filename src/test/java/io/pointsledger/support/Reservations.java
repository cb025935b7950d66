package io.pointsledger.support;

import static io.pointsledger.support.LedgerApi.given;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Bookables and reservations for tests of other capabilities, slots found through the availability API. */
public final class Reservations {

    private static final List<String> DAYS = List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY");

    private Reservations() {
    }

    /** A bookable open every day from 00:00 to 23:45 in 15-minute slots of {@code capacity}; its id. */
    public static String bookable(int capacity) {
        List<Map<String, String>> hours = new ArrayList<>();
        DAYS.forEach(day -> hours.add(Map.of("day", day, "opens", "00:00", "closes", "23:45")));
        return given().contentType("application/json").body(Map.of("store", "STORE-" + UUID.randomUUID().toString().substring(0, 8),
                        "service", "Fitting", "capacity", capacity, "slotMinutes", 15, "openingHours", hours))
                .post("/v1/admin/bookables").then().statusCode(201).extract().path("bookableId");
    }

    /** The start of the bookable's first slot after {@code after}, within the next two days, as availability gives it. */
    public static String slotAfter(String bookableId, OffsetDateTime after) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<String> starts = given().queryParam("from", today.minusDays(1).toString()).queryParam("to", today.plusDays(2).toString())
                .get("/v1/bookables/{id}/availability", bookableId).then().statusCode(200).extract().jsonPath().getList("slots.startsAt");
        return starts.stream().filter(start -> OffsetDateTime.parse(start).isAfter(after)).findFirst()
                .orElseThrow(() -> new AssertionError("No slot of " + bookableId + " after " + after));
    }

    /** A booking of the member's at {@code startsAt}; its reservation id. */
    public static String book(UUID memberId, String bookableId, String startsAt) {
        return given().contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("bookableId", bookableId, "startsAt", startsAt)).post("/v1/members/{memberId}/reservations", memberId)
                .then().statusCode(201).extract().path("reservationId");
    }

    /** A booking of a fresh member, of the slot starting within the next quarter of an hour: its arrival may be recorded now. */
    public static String bookedForNow() {
        String bookableId = bookable(5);
        return book(LedgerApi.enroll(), bookableId, slotAfter(bookableId, OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1)));
    }
}
