package io.pointsledger.reservations;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** All SQL of reservations. */
@ApplicationScoped
class ReservationRepository {

    private static final String BOOKABLE_COLUMNS = """
            sequence, bookable_id, store, service, capacity, slot_minutes, opening_hours, booking_window_days, created_at""";

    private static final String INSERT_BOOKABLE = """
            INSERT INTO bookables (bookable_id, store, service, capacity, slot_minutes, opening_hours, booking_window_days, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            RETURNING\s""" + BOOKABLE_COLUMNS;

    private static final String BOOKABLE = "SELECT " + BOOKABLE_COLUMNS + " FROM bookables WHERE bookable_id = $1";

    private static final String BOOKABLES = "SELECT " + BOOKABLE_COLUMNS
            + " FROM bookables WHERE sequence < $1 ORDER BY sequence DESC LIMIT $2";

    private static final String BOOKED_BETWEEN = """
            SELECT starts_at, booked FROM reservation_slots WHERE bookable_id = $1 AND starts_at >= $2 AND starts_at < $3""";

    /** The request a key made before, if any: a retry answers with it. */
    private static final String RECORD_REQUEST = """
            INSERT INTO reservation_requests (member_id, partner_id, idempotency_key, reservation_id, action, request_hash)
            VALUES ($1, $6, $2, $3, $4, $5)
            ON CONFLICT (member_id, partner_id, idempotency_key) DO NOTHING""";

    private static final String REQUEST = """
            SELECT reservation_id, action, request_hash FROM reservation_requests
             WHERE member_id = $1 AND partner_id = $3 AND idempotency_key = $2""";

    /** Up to {@code $2} requests older than {@code $1}, deleted: a key is kept for the retention, as the ledger's are. */
    private static final String PURGE_REQUESTS = """
            DELETE FROM reservation_requests r
             USING (SELECT member_id, partner_id, idempotency_key FROM reservation_requests WHERE created_at < $1 LIMIT $2) old
             WHERE r.member_id = old.member_id AND r.partner_id = old.partner_id AND r.idempotency_key = old.idempotency_key""";

    private static final String OPEN_SLOT = """
            INSERT INTO reservation_slots (bookable_id, starts_at, capacity) VALUES ($1, $2, $3)
            ON CONFLICT (bookable_id, starts_at) DO NOTHING""";

    /** One more booking of the slot, unless it is full: no row then. The row lock orders concurrent bookings. */
    private static final String TAKE_SEAT = """
            UPDATE reservation_slots SET booked = booked + 1
             WHERE bookable_id = $1 AND starts_at = $2 AND booked < capacity
            RETURNING booked""";

    private static final String FREE_SEAT = """
            UPDATE reservation_slots SET booked = booked - 1 WHERE bookable_id = $1 AND starts_at = $2""";

    private static final String RESERVATION_COLUMNS = """
            r.sequence, r.reservation_id, r.member_id, r.bookable_id, b.store, b.service, r.starts_at, r.ends_at, r.status, r.version,
            r.created_at, r.updated_at""";

    private static final String INSERT_RESERVATION = """
            WITH inserted AS (
                INSERT INTO reservations (reservation_id, member_id, bookable_id, starts_at, ends_at, status, booked_by)
                VALUES ($1, $2, $3, $4, $5, 'BOOKED', $6)
                RETURNING *
            )
            SELECT\s""" + RESERVATION_COLUMNS + " FROM inserted r JOIN bookables b ON b.bookable_id = r.bookable_id";

    private static final String RESERVATION = "SELECT " + RESERVATION_COLUMNS
            + " FROM reservations r JOIN bookables b ON b.bookable_id = r.bookable_id WHERE r.reservation_id = $1 AND r.member_id = $2";

    private static final String RESERVATION_FOR_UPDATE = RESERVATION + " FOR UPDATE OF r";

    private static final String RESERVATION_BY_ID_FOR_UPDATE = "SELECT " + RESERVATION_COLUMNS
            + " FROM reservations r JOIN bookables b ON b.bookable_id = r.bookable_id WHERE r.reservation_id = $1 FOR UPDATE OF r";

    private static final String RESERVATIONS = "SELECT " + RESERVATION_COLUMNS
            + " FROM reservations r JOIN bookables b ON b.bookable_id = r.bookable_id"
            + " WHERE r.member_id = $1 AND r.sequence < $2 ORDER BY r.sequence DESC LIMIT $3";

    private static final String MOVE = """
            WITH moved AS (
                UPDATE reservations SET starts_at = $3, ends_at = $4, version = version + 1, updated_at = now()
                 WHERE reservation_id = $1 AND member_id = $2
                RETURNING *
            )
            SELECT\s""" + RESERVATION_COLUMNS + " FROM moved r JOIN bookables b ON b.bookable_id = r.bookable_id";

    private static final String SET_STATUS = """
            WITH changed AS (
                UPDATE reservations SET status = $3, version = version + 1, updated_at = now()
                 WHERE reservation_id = $1 AND member_id = $2
                RETURNING *
            )
            SELECT\s""" + RESERVATION_COLUMNS + " FROM changed r JOIN bookables b ON b.bookable_id = r.bookable_id";

    private static final String PLAN_REMINDERS = """
            INSERT INTO reservation_reminders (reminder_id, reservation_id, member_id, kind, due_at)
            SELECT gen_random_uuid(), $1, $2, kind, due_at FROM unnest($3::text[], $4::timestamptz[]) AS planned (kind, due_at)""";

    private static final String CANCEL_REMINDERS = """
            UPDATE reservation_reminders SET cancelled_at = now()
             WHERE reservation_id = $1 AND member_id = $2 AND sent_at IS NULL AND cancelled_at IS NULL""";

    private static final String ATTENDED_EVENT = """
            INSERT INTO outbox (event_id, member_id, event_type, payload)
            VALUES (gen_random_uuid(), $1, 'RESERVATION_ATTENDED', jsonb_build_object(
                'schemaVersion', 1, 'eventType', 'RESERVATION_ATTENDED', 'reservationId', $2::uuid, 'memberId', $1::uuid,
                'bookableId', $3::uuid, 'store', $4::text, 'service', $5::text, 'startsAt', $6::timestamptz,
                'endsAt', $8::timestamptz, 'attendedAt', $7::timestamptz,
                'tier', (SELECT tier FROM member_accounts WHERE member_id = $1)))""";

    /**
     * The reminders due, of reservations still booked whose slot has not started, taken with SKIP
     * LOCKED, marked sent and written as events in one statement: each is sent by exactly one run,
     * or by none if it rolled back. Those due whose reservation started or is no longer booked are
     * closed without a message.
     */
    private static final String SEND_DUE = """
            WITH due AS (
                SELECT rr.reminder_id, rr.member_id, rr.kind, r.reservation_id, r.starts_at, r.status, b.bookable_id, b.store,
                       b.service
                  FROM reservation_reminders rr
                  JOIN reservations r ON r.reservation_id = rr.reservation_id AND r.member_id = rr.member_id
                  JOIN bookables b ON b.bookable_id = r.bookable_id
                 WHERE rr.due_at <= $1 AND rr.sent_at IS NULL AND rr.cancelled_at IS NULL
                 ORDER BY rr.due_at
                 LIMIT $2
                   FOR UPDATE OF rr SKIP LOCKED
            ), sent AS (
                UPDATE reservation_reminders rr
                   SET sent_at = CASE WHEN due.status = 'BOOKED' AND due.starts_at > $1 THEN $1 END,
                       cancelled_at = CASE WHEN due.status = 'BOOKED' AND due.starts_at > $1 THEN NULL ELSE $1 END
                  FROM due
                 WHERE rr.reminder_id = due.reminder_id AND rr.member_id = due.member_id
            ), events AS (
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                SELECT gen_random_uuid(), due.member_id, 'RESERVATION_REMINDER', jsonb_build_object(
                           'schemaVersion', 1, 'eventType', 'RESERVATION_REMINDER', 'reminderId', due.reminder_id,
                           'reservationId', due.reservation_id, 'memberId', due.member_id, 'bookableId', due.bookable_id,
                           'store', due.store, 'service', due.service, 'startsAt', due.starts_at, 'kind', due.kind)
                  FROM due WHERE due.status = 'BOOKED' AND due.starts_at > $1
            )
            SELECT count(*) FILTER (WHERE status = 'BOOKED' AND starts_at > $1) AS sent, count(*) AS taken FROM due""";

    private final Pool pool;

    ReservationRepository(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    // ----- bookables

    record Sequenced<T>(long sequence, T value) {
    }

    Uni<Bookable> insertBookable(SqlClient transaction, UUID bookableId, BookableRequest request, String createdBy) {
        JsonArray hours = new JsonArray();
        request.openingHours().forEach(opening -> hours.add(new JsonObject().put("day", opening.day().name())
                .put("opens", opening.opens().toString()).put("closes", opening.closes().toString())));
        return transaction.preparedQuery(INSERT_BOOKABLE).execute(Tuple.from(List.of(bookableId, request.store(), request.service(),
                        request.capacity(), request.slotMinutes(), hours, request.bookingWindowDaysOrDefault(), createdBy)))
                .map(rows -> toBookable(rows.iterator().next()));
    }

    Uni<Optional<Bookable>> bookable(SqlClient client, UUID bookableId) {
        return client.preparedQuery(BOOKABLE).execute(Tuple.of(bookableId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toBookable(rows.iterator().next())));
    }

    Uni<List<Sequenced<Bookable>>> bookables(long beforeSequence, int limit) {
        return pool.preparedQuery(BOOKABLES).execute(Tuple.of(beforeSequence, limit)).map(rows -> {
            List<Sequenced<Bookable>> page = new ArrayList<>(rows.size());
            rows.forEach(row -> page.add(new Sequenced<>(row.getLong("sequence"), toBookable(row))));
            return page;
        });
    }

    /** Bookings of each slot that has any, from {@code from} (inclusive) to {@code until} (exclusive). */
    Uni<Map<OffsetDateTime, Integer>> booked(UUID bookableId, OffsetDateTime from, OffsetDateTime until) {
        return pool.preparedQuery(BOOKED_BETWEEN).execute(Tuple.of(bookableId, from, until)).map(rows -> {
            Map<OffsetDateTime, Integer> booked = new HashMap<>();
            rows.forEach(row -> booked.put(row.getOffsetDateTime("starts_at").toInstant().atOffset(java.time.ZoneOffset.UTC),
                    row.getInteger("booked")));
            return booked;
        });
    }

    private static Bookable toBookable(Row row) {
        List<OpeningHours> hours = new ArrayList<>();
        JsonArray stored = (JsonArray) row.getJson("opening_hours");
        for (int index = 0; index < stored.size(); index++) {
            JsonObject opening = stored.getJsonObject(index);
            hours.add(new OpeningHours(DayOfWeek.valueOf(opening.getString("day")), LocalTime.parse(opening.getString("opens")),
                    LocalTime.parse(opening.getString("closes"))));
        }
        return new Bookable(row.getUUID("bookable_id"), row.getString("store"), row.getString("service"), row.getInteger("capacity"),
                row.getInteger("slot_minutes"), hours, row.getInteger("booking_window_days"), row.getOffsetDateTime("created_at"));
    }

    // ----- requests

    /** A write a key made before. */
    record StoredRequest(UUID reservationId, String action, byte[] hash) {
    }

    /** True when the key is new (the request is recorded in the caller's transaction); false when it made a request before. */
    Uni<Boolean> recordRequest(SqlClient transaction, RequestKey key, UUID reservationId, String action, byte[] hash) {
        return transaction.preparedQuery(RECORD_REQUEST)
                .execute(Tuple.from(List.of(key.memberId(), key.idempotencyKey(), reservationId, action, Buffer.buffer(hash), key.partnerId())))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Whose request a key names: the member written, the caller, and the key. */
    record RequestKey(UUID memberId, String partnerId, String idempotencyKey) {
    }

    Uni<StoredRequest> request(SqlClient client, RequestKey key) {
        return client.preparedQuery(REQUEST).execute(Tuple.of(key.memberId(), key.idempotencyKey(), key.partnerId())).map(rows -> {
            Row row = rows.iterator().next();
            return new StoredRequest(row.getUUID("reservation_id"), row.getString("action"), row.getBuffer("request_hash").getBytes());
        });
    }

    Uni<Integer> purgeRequests(OffsetDateTime before, int limit) {
        return pool.preparedQuery(PURGE_REQUESTS).execute(Tuple.of(before, limit)).map(RowSet::rowCount);
    }

    // ----- slots

    /** Takes a seat of the slot (made on its first booking); false when it is full. */
    Uni<Boolean> takeSeat(SqlClient transaction, UUID bookableId, OffsetDateTime startsAt, int capacity) {
        return transaction.preparedQuery(OPEN_SLOT).execute(Tuple.of(bookableId, startsAt, capacity))
                .chain(() -> transaction.preparedQuery(TAKE_SEAT).execute(Tuple.of(bookableId, startsAt)))
                .map(rows -> rows.rowCount() == 1);
    }

    Uni<Void> freeSeat(SqlClient transaction, UUID bookableId, OffsetDateTime startsAt) {
        return transaction.preparedQuery(FREE_SEAT).execute(Tuple.of(bookableId, startsAt)).replaceWithVoid();
    }

    // ----- reservations

    Uni<Reservation> insertReservation(SqlClient transaction, UUID reservationId, UUID memberId, Bookable bookable,
            OffsetDateTime startsAt, String bookedBy) {
        return transaction.preparedQuery(INSERT_RESERVATION).execute(Tuple.from(List.of(reservationId, memberId, bookable.bookableId(),
                        startsAt, startsAt.plusMinutes(bookable.slotMinutes()), bookedBy)))
                .map(rows -> toReservation(rows.iterator().next()));
    }

    Uni<Optional<Reservation>> reservation(SqlClient client, UUID memberId, UUID reservationId) {
        return client.preparedQuery(RESERVATION).execute(Tuple.of(reservationId, memberId)).map(ReservationRepository::first);
    }

    Uni<Optional<Reservation>> lockReservation(SqlClient transaction, UUID memberId, UUID reservationId) {
        return transaction.preparedQuery(RESERVATION_FOR_UPDATE).execute(Tuple.of(reservationId, memberId))
                .map(ReservationRepository::first);
    }

    Uni<Optional<Reservation>> lockReservation(SqlClient transaction, UUID reservationId) {
        return transaction.preparedQuery(RESERVATION_BY_ID_FOR_UPDATE).execute(Tuple.of(reservationId)).map(ReservationRepository::first);
    }

    Uni<List<Sequenced<Reservation>>> reservations(UUID memberId, long beforeSequence, int limit) {
        return pool.preparedQuery(RESERVATIONS).execute(Tuple.of(memberId, beforeSequence, limit)).map(rows -> {
            List<Sequenced<Reservation>> page = new ArrayList<>(rows.size());
            rows.forEach(row -> page.add(new Sequenced<>(row.getLong("sequence"), toReservation(row))));
            return page;
        });
    }

    Uni<Reservation> move(SqlClient transaction, Reservation reservation, OffsetDateTime startsAt, OffsetDateTime endsAt) {
        return transaction.preparedQuery(MOVE).execute(Tuple.of(reservation.reservationId(), reservation.memberId(), startsAt, endsAt))
                .map(rows -> toReservation(rows.iterator().next()));
    }

    Uni<Reservation> setStatus(SqlClient transaction, Reservation reservation, ReservationStatus status) {
        return transaction.preparedQuery(SET_STATUS).execute(Tuple.of(reservation.reservationId(), reservation.memberId(), status.name()))
                .map(rows -> toReservation(rows.iterator().next()));
    }

    /** A reminder to plan: its kind and when it is due. */
    record PlannedReminder(String kind, OffsetDateTime dueAt) {
    }

    Uni<Void> planReminders(SqlClient transaction, Reservation reservation, List<PlannedReminder> reminders) {
        if (reminders.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return transaction.preparedQuery(PLAN_REMINDERS).execute(Tuple.of(reservation.reservationId(), reservation.memberId(),
                        reminders.stream().map(PlannedReminder::kind).toArray(String[]::new),
                        reminders.stream().map(PlannedReminder::dueAt).toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    Uni<Void> cancelReminders(SqlClient transaction, Reservation reservation) {
        return transaction.preparedQuery(CANCEL_REMINDERS).execute(Tuple.of(reservation.reservationId(), reservation.memberId()))
                .replaceWithVoid();
    }

    Uni<Void> attendedEvent(SqlClient transaction, Reservation reservation, OffsetDateTime attendedAt) {
        return transaction.preparedQuery(ATTENDED_EVENT).execute(Tuple.from(List.of(reservation.memberId(), reservation.reservationId(),
                        reservation.bookableId(), reservation.store(), reservation.service(), reservation.startsAt(), attendedAt,
                        reservation.endsAt())))
                .replaceWithVoid();
    }

    /** Sends one batch of the reminders due at {@code now}; the number taken (sent, or closed unsent). */
    Uni<Batch> sendDue(OffsetDateTime now, int batchSize) {
        return pool.preparedQuery(SEND_DUE).execute(Tuple.of(now, batchSize)).map(rows -> {
            Row row = rows.iterator().next();
            return new Batch(row.getLong("sent"), row.getLong("taken"));
        });
    }

    /** A batch of due reminders: those sent, and those taken (the sent, and those closed unsent). */
    record Batch(long sent, long taken) {
    }

    private static Optional<Reservation> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(toReservation(rows.iterator().next()));
    }

    private static Reservation toReservation(Row row) {
        return new Reservation(row.getUUID("reservation_id"), row.getUUID("member_id"), row.getUUID("bookable_id"), row.getString("store"),
                row.getString("service"), row.getOffsetDateTime("starts_at"), row.getOffsetDateTime("ends_at"),
                ReservationStatus.valueOf(row.getString("status")), row.getLong("version"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"));
    }
}
