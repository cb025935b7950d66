package io.pointsledger.reservations;

import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.program.ProgramConfig;
import io.pointsledger.support.Concurrently;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.LocalMessageProviders;
import io.pointsledger.support.Partners;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Reservations against a real PostgreSQL: capacity under concurrency, retries, tiers, reminders, changes and attendance. */
@QuarkusTest
class ReservationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;
    @Inject
    ReservationReminders reminders;
    @Inject
    ProgramConfig program;
    @Inject
    ReservationsConfig config;

    /** 100 members book one slot of capacity 10 at once: exactly 10 are booked, 90 told it is full, and the slot holds 10. */
    @Test
    void shouldNeverBookMoreThanTheSlotsCapacityUnderConcurrency() throws Exception {
        String bookableId = bookable(10, 30, 14);
        OffsetDateTime slot = slotOn(today().plusDays(2), LocalTime.of(10, 0));
        List<UUID> members = new ArrayList<>();
        for (int index = 0; index < 100; index++) {
            members.add(LedgerApi.enroll());
        }

        List<Integer> statuses = Concurrently.run(100, index -> book(members.get(index), UUID.randomUUID().toString(), bookableId, slot)
                .statusCode());

        assertEquals(10, statuses.stream().filter(status -> status == 201).count(), statuses.toString());
        assertEquals(90, statuses.stream().filter(status -> status == 409).count(), statuses.toString());
        assertEquals(10, booked(bookableId, slot));
        assertEquals(10, Database.single(pool, "SELECT count(*) FROM reservations WHERE bookable_id = $1 AND status = 'BOOKED'",
                UUID.fromString(bookableId)).getLong(0));
        given().queryParam("from", today().plusDays(2).toString()).get("/v1/bookables/{id}/availability", bookableId)
                .then().statusCode(200).body("slots.find { it.startsAt == '" + iso(slot) + "' }.available", equalTo(0));
    }

    /** A retried booking applies once and answers the same reservation; the key used for another slot is refused. */
    @Test
    void shouldApplyARetriedBookingOnce() {
        String bookableId = bookable(3, 30, 14);
        OffsetDateTime slot = slotOn(today().plusDays(1), LocalTime.of(11, 0));
        UUID member = LedgerApi.enroll();
        String key = UUID.randomUUID().toString();

        String first = book(member, key, bookableId, slot).then().statusCode(201).extract().path("reservationId");
        Response retry = book(member, key, bookableId, slot);

        retry.then().statusCode(201).header("Idempotent-Replayed", "true").body("reservationId", equalTo(first));
        assertEquals(1, booked(bookableId, slot));
        book(member, key, bookableId, slot.plusMinutes(30)).then().statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        book(member, UUID.randomUUID().toString(), bookableId, slot).then().statusCode(409)
                .body("code", equalTo("RESERVATION_ALREADY_BOOKED"));
        assertEquals(1, booked(bookableId, slot));

        // A key is the caller's: another partner's request under the same key for the same member is its own.
        Partners.TestPartner till = Partners.create(1_000, "redeem", "read");
        LedgerApi.as(till.apiKey()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("bookableId", bookableId, "startsAt", slot.plusMinutes(60).toString()))
                .post("/v1/members/{memberId}/reservations", member).then().statusCode(201).header("Idempotent-Replayed", nullValue());
        assertEquals(1, booked(bookableId, slot.plusMinutes(60)));
    }

    /** A BASIC member books up to the bookable's window; a GOLD member the gold early days further. */
    @Test
    void shouldLetAnUpperTierBookFurtherAhead() {
        String bookableId = bookable(5, 60, 7);
        // A day clear of each window's last, so that a midnight between this test's day and the service's changes nothing.
        OffsetDateTime beyondBasic = slotOn(today().plusDays(9), LocalTime.of(10, 0));
        OffsetDateTime beyondGold = slotOn(today().plusDays(9 + config.goldEarlyDays()), LocalTime.of(10, 0));
        UUID basic = LedgerApi.enroll();
        UUID gold = LedgerApi.enroll();
        makeGold(gold);

        book(basic, UUID.randomUUID().toString(), bookableId, beyondBasic).then().statusCode(409)
                .body("code", equalTo("RESERVATION_WINDOW_CLOSED"));
        book(gold, UUID.randomUUID().toString(), bookableId, beyondBasic).then().statusCode(201);
        book(gold, UUID.randomUUID().toString(), bookableId, beyondGold).then().statusCode(409)
                .body("code", equalTo("RESERVATION_WINDOW_CLOSED"));
        book(basic, UUID.randomUUID().toString(), bookableId, slotOn(today().plusDays(1), LocalTime.of(10, 7))).then()
                .statusCode(400).body("violations[0].field", equalTo("startsAt"));
    }

    /**
     * Reminders are planned with the booking at the configured times (18:00 the day before, 2 h
     * before), planned anew on a change, and not sent after a cancellation.
     */
    @Test
    void shouldPlanRemindersWithTheBookingAndReplanThemOnAChange() {
        String bookableId = bookable(2, 30, 14);
        LocalDate day = today().plusDays(3);
        OffsetDateTime slot = slotOn(day, LocalTime.of(10, 0));
        UUID member = LedgerApi.enroll();
        String reservationId = book(member, UUID.randomUUID().toString(), bookableId, slot).then().statusCode(201)
                .extract().path("reservationId");

        assertEquals(Map.of("DAY_BEFORE", local(day.minusDays(1), LocalTime.of(18, 0)), "SAME_DAY", slot.minusHours(2)),
                pendingReminders(reservationId));

        OffsetDateTime later = slotOn(day.plusDays(1), LocalTime.of(15, 30));
        change(member, reservationId, UUID.randomUUID().toString(), later).then().statusCode(200)
                .body("startsAt", equalTo(iso(later))).body("version", equalTo(2));
        assertEquals(Map.of("DAY_BEFORE", local(day, LocalTime.of(18, 0)), "SAME_DAY", later.minusHours(2)),
                pendingReminders(reservationId));
        assertEquals(0, booked(bookableId, slot));
        assertEquals(1, booked(bookableId, later));

        String cancelKey = UUID.randomUUID().toString();
        cancel(member, reservationId, cancelKey).then().statusCode(200).body("status", equalTo("CANCELLED"));
        cancel(member, reservationId, cancelKey).then().statusCode(200).header("Idempotent-Replayed", "true");
        assertEquals(Map.of(), pendingReminders(reservationId));
        assertEquals(0, booked(bookableId, later));
        change(member, reservationId, UUID.randomUUID().toString(), slot).then().statusCode(409)
                .body("code", equalTo("RESERVATION_NOT_CHANGEABLE"));
    }

    /**
     * Reminders due are sent once however many instances send at the same moment (four runs at
     * once here: each takes what the others have not, and marks it in the statement that writes
     * its event), never again by a later run, as one after a restart would be, and reach the member
     * by email through the notification path.
     */
    @Test
    void shouldSendEachReminderOnceAcrossInstances() {
        String bookableId = bookable(5, 30, 14);
        String email = "reminded-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        UUID member = LedgerApi.enrollReachableByEmail(email);
        List<String> booked = new ArrayList<>();
        // Two days ahead and more: a slot tomorrow has no DAY_BEFORE reminder once today's 18:00 has passed.
        for (int day = 2; day <= 4; day++) {
            booked.add(book(member, UUID.randomUUID().toString(), bookableId, slotOn(today().plusDays(day), LocalTime.of(12, 0)))
                    .then().statusCode(201).extract().path("reservationId"));
        }
        // Due now: moved back in the database, as no API plans a reminder in the past.
        Database.execute(pool, "UPDATE reservation_reminders SET due_at = now() - interval '1 minute' WHERE member_id = $1", member);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);

        Uni.join().all(List.of(reminders.sendDue(now), reminders.sendDue(now), reminders.sendDue(now), reminders.sendDue(now)))
                .andFailFast().await().atMost(WAIT);
        String sentAt = "SELECT count(*) FILTER (WHERE sent_at IS NOT NULL) || '/' || string_agg(sent_at::text, ',' ORDER BY reminder_id) "
                + "FROM reservation_reminders WHERE member_id = $1";
        String afterFirst = Database.single(pool, sentAt, member).getString(0);
        reminders.sendDue(now.plusMinutes(1)).await().atMost(WAIT);

        assertTrue(afterFirst.startsWith("6/"), "each of the member's 6 reminders sent: " + afterFirst);
        assertEquals(afterFirst, Database.single(pool, sentAt, member).getString(0), "a later run sends none of them again");
        await().atMost(WAIT).until(() -> LocalMessageProviders.distinct(LocalMessageProviders.mails(email)) == 6);
        assertEquals("Reminder: Fitting", LocalMessageProviders.mails(email).get(0).get("subject"));
    }

    /**
     * An arrival is recorded from an hour before the slot, once; it is an occasion a
     * RESERVATION_ATTENDED campaign rewards, once. A no-show waits for the start.
     */
    @Test
    void shouldRewardAnAttendedReservationThroughACampaignOnce() {
        String bookableId = bookable(2, 15, 14);
        OffsetDateTime soon = nextQuarterHourAfterFiveMinutes();
        OffsetDateTime tomorrow = slotOn(today().plusDays(1), LocalTime.of(9, 0));
        UUID member = LedgerApi.enroll();
        String attending = book(member, UUID.randomUUID().toString(), bookableId, soon).then().statusCode(201).extract()
                .path("reservationId");
        String notYet = book(member, UUID.randomUUID().toString(), bookableId, tomorrow).then().statusCode(201).extract()
                .path("reservationId");
        String campaignId = given().contentType(ContentType.JSON).body(Map.of("name", "Came to a fitting " + UUID.randomUUID(),
                        "trigger", "RESERVATION_ATTENDED", "priority", 1, "effect", Map.of("bonusPoints", 30)))
                .post("/v1/admin/campaigns").then().statusCode(201).extract().path("campaignId");
        given().post("/v1/admin/campaigns/{id}/activate", campaignId).then().statusCode(200);
        try {
            attend(attending, "NO_SHOW").then().statusCode(409).body("code", equalTo("RESERVATION_NOT_CHANGEABLE"));
            attend(notYet, "ATTENDED").then().statusCode(409).body("code", equalTo("RESERVATION_NOT_CHANGEABLE"));
            attend(attending, "ATTENDED").then().statusCode(200).body("status", equalTo("ATTENDED"));
            attend(attending, "ATTENDED").then().statusCode(200).body("status", equalTo("ATTENDED"));

            await().atMost(WAIT).until(() -> LedgerApi.available(member) == 30);
            assertEquals(1, Database.transferCount(pool, member), "one bonus, however often the arrival was recorded");
            cancel(member, attending, UUID.randomUUID().toString()).then().statusCode(409)
                    .body("code", equalTo("RESERVATION_NOT_CHANGEABLE"));
        } finally {
            given().post("/v1/admin/campaigns/{id}/end", campaignId).then().statusCode(200);
        }
        assertEquals(30, LedgerApi.available(member));
        LedgerApi.assertReconciles();
    }

    /** Availability follows the opening hours: slots of the slot length from each opening, none on a closed day. */
    @Test
    void shouldOfferSlotsOnlyWithinOpeningHours() {
        LocalDate day = today().plusDays(2);
        Map<String, Object> request = new HashMap<>(Map.of("store", "STORE-" + UUID.randomUUID().toString().substring(0, 8),
                "service", "Repair", "capacity", 1, "slotMinutes", 45,
                "openingHours", List.of(Map.of("day", day.getDayOfWeek().name(), "opens", "09:00", "closes", "11:00"),
                        Map.of("day", day.getDayOfWeek().name(), "opens", "13:00", "closes", "14:30"))));
        String bookableId = given().contentType(ContentType.JSON).body(request).post("/v1/admin/bookables").then().statusCode(201)
                .extract().path("bookableId");

        List<String> starts = given().queryParam("from", day.toString()).queryParam("to", day.plusDays(1).toString())
                .get("/v1/bookables/{id}/availability", bookableId).then().statusCode(200).extract().jsonPath().getList("slots.startsAt");

        assertEquals(List.of(iso(slotOn(day, LocalTime.of(9, 0))), iso(slotOn(day, LocalTime.of(9, 45))),
                iso(slotOn(day, LocalTime.of(13, 0))), iso(slotOn(day, LocalTime.of(13, 45)))), starts);
        given().queryParam("from", day.toString()).queryParam("to", day.minusDays(1).toString())
                .get("/v1/bookables/{id}/availability", bookableId).then().statusCode(400).body("violations[0].field", equalTo("to"));
        given().get("/v1/bookables/{id}/availability", UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("BOOKABLE_NOT_FOUND"));
        Map<String, Object> overlapping = new HashMap<>(request);
        overlapping.put("openingHours", List.of(Map.of("day", "MONDAY", "opens", "09:00", "closes", "11:00"),
                Map.of("day", "MONDAY", "opens", "10:00", "closes", "12:00")));
        given().contentType(ContentType.JSON).body(overlapping).post("/v1/admin/bookables").then().statusCode(400)
                .body("violations[0].field", equalTo("openingHours[1]"));
        given().get("/v1/members/{memberId}/reservations", LedgerApi.enroll()).then().statusCode(200).body("nextCursor", nullValue());
    }

    // ----- helpers

    /** Open every day, 00:00 to 23:45 (program time zone), so that a test finds a slot at any hour. */
    private static String bookable(int capacity, int slotMinutes, int windowDays) {
        List<Map<String, String>> hours = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            hours.add(Map.of("day", day.name(), "opens", "00:00", "closes", "23:45"));
        }
        return given().contentType(ContentType.JSON).body(Map.of("store", "STORE-" + UUID.randomUUID().toString().substring(0, 8),
                        "service", "Fitting", "capacity", capacity, "slotMinutes", slotMinutes, "openingHours", hours,
                        "bookingWindowDays", windowDays))
                .post("/v1/admin/bookables").then().statusCode(201).extract().path("bookableId");
    }

    private static Response book(UUID member, String key, String bookableId, OffsetDateTime startsAt) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("bookableId", bookableId, "startsAt", startsAt.toString()))
                .post("/v1/members/{memberId}/reservations", member);
    }

    private static Response change(UUID member, String reservationId, String key, OffsetDateTime startsAt) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("startsAt", startsAt.toString()))
                .post("/v1/members/{memberId}/reservations/{id}/change", member, reservationId);
    }

    private static Response cancel(UUID member, String reservationId, String key) {
        return given().header("Idempotency-Key", key).post("/v1/members/{memberId}/reservations/{id}/cancellation", member,
                reservationId);
    }

    private static Response attend(String reservationId, String outcome) {
        return given().contentType(ContentType.JSON).body(Map.of("outcome", outcome))
                .post("/v1/admin/reservations/{id}/attendance", reservationId);
    }

    private long booked(String bookableId, OffsetDateTime startsAt) {
        List<Row> rows = Database.all(pool, "SELECT booked FROM reservation_slots WHERE bookable_id = $1 AND starts_at = $2",
                UUID.fromString(bookableId), startsAt);
        return rows.isEmpty() ? 0 : rows.get(0).getInteger("booked");
    }

    private Map<String, OffsetDateTime> pendingReminders(String reservationId) {
        Map<String, OffsetDateTime> pending = new HashMap<>();
        Database.all(pool, "SELECT kind, due_at FROM reservation_reminders WHERE reservation_id = $1 AND sent_at IS NULL "
                + "AND cancelled_at IS NULL", UUID.fromString(reservationId))
                .forEach(row -> pending.put(row.getString("kind"), row.getOffsetDateTime("due_at").withOffsetSameInstant(ZoneOffset.UTC)));
        return pending;
    }

    private static String iso(OffsetDateTime time) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    }

    private void makeGold(UUID memberId) {
        Database.execute(pool, "UPDATE member_accounts SET tier = 'GOLD' WHERE member_id = $1", memberId);
        LedgerApi.earnPoints(memberId, "gold-" + memberId, 1).then().statusCode(201);
        LedgerApi.redeem(memberId, "gold-back-" + memberId, 1).then().statusCode(201);
    }

    private LocalDate today() {
        return LocalDate.now(zone());
    }

    private ZoneId zone() {
        return program.timeZone();
    }

    private OffsetDateTime slotOn(LocalDate day, LocalTime time) {
        return local(day, time);
    }

    private OffsetDateTime local(LocalDate day, LocalTime time) {
        return day.atTime(time).atZone(zone()).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
    }

    /**
     * The next slot of a 15-minute grid at least five minutes away (the test books it and makes a
     * campaign before the start), within the hour in which an arrival may be recorded.
     */
    private OffsetDateTime nextQuarterHourAfterFiveMinutes() {
        OffsetDateTime at = OffsetDateTime.now(zone()).plusMinutes(5).withSecond(0).withNano(0);
        int minutes = at.getMinute();
        OffsetDateTime next = at.plusMinutes((15 - minutes % 15) % 15);
        if (next.toLocalTime().isAfter(LocalTime.of(23, 30)) || next.toLocalTime().equals(LocalTime.of(23, 45))) {
            next = next.toLocalDate().plusDays(1).atStartOfDay(zone()).toOffsetDateTime();
        }
        return next.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
