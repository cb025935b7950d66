package io.pointsledger.reservations;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.platform.TimeOrderedIds;
import io.pointsledger.program.ProgramConfig;
import io.pointsledger.reservations.ReservationRepository.PlannedReminder;
import io.pointsledger.reservations.ReservationRepository.RequestKey;
import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reservations: members book slots of bookable services, never past a slot's capacity (each
 * booking takes a seat on the slot's row, under its lock), change them to another slot, cancel
 * them, and staff record whether they came. Every member write is made under an Idempotency-Key:
 * a retry answers with the reservation as it stands, and changes nothing.
 */
@ApplicationScoped
public class ReservationService {

    private static final String BOOKABLE_LIST = "bookables";
    private static final String RESERVATION_LIST = "reservations";
    private static final String UNIQUE_VIOLATION = "23505";

    private final ReservationRepository repository;
    private final LedgerService ledger;
    private final AuditLog audit;
    private final ReservationsConfig config;
    private final ZoneId zone;
    private final Clock clock;

    ReservationService(ReservationRepository repository, LedgerService ledger, AuditLog audit, ReservationsConfig config,
            ProgramConfig program, Clock clock) {
        this.repository = repository;
        this.ledger = ledger;
        this.audit = audit;
        this.config = config;
        this.zone = program.timeZone();
        this.clock = clock;
    }

    /** The answer to a member's write: the reservation, and whether it answers a retry. */
    public record Answer(Reservation reservation, boolean replayed) {
    }

    // ----- bookables

    /** Fails with VALIDATION_FAILED (hours that close before they open, overlap, or hold no slot). */
    public Uni<Bookable> createBookable(Caller actor, BookableRequest request) {
        new SlotGrid(request.openingHours(), request.slotMinutes()).validate();
        UUID bookableId = TimeOrderedIds.next(clock.millis());
        return repository.pool().withTransaction(transaction -> repository.insertBookable(transaction, bookableId, request,
                        actor.partnerId())
                .call(bookable -> audit.record(transaction, actor.auditActor(), AuditAction.BOOKABLE_CREATED, bookableId.toString(),
                        Map.of("store", bookable.store(), "service", bookable.service(), "capacity", bookable.capacity()))));
    }

    /** Fails with BOOKABLE_NOT_FOUND. */
    public Uni<Bookable> bookable(UUID bookableId) {
        return bookable(repository.pool(), bookableId);
    }

    /** On {@code client}: in a transaction, on its own connection, never a second one from the pool while it holds the first. */
    private Uni<Bookable> bookable(SqlClient client, UUID bookableId) {
        return repository.bookable(client, bookableId).map(found -> found.orElseThrow(() -> new ProblemException(ErrorCode.BOOKABLE_NOT_FOUND,
                "No bookable " + bookableId)));
    }

    public Uni<BookablePage> bookables(String cursor, String limit) {
        int size = Paging.pageSize(limit, config.pageSizeDefault(), ReservationsConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(BOOKABLE_LIST, cursor);
        return repository.bookables(before, size + 1).map(rows -> {
            boolean more = rows.size() > size;
            List<ReservationRepository.Sequenced<Bookable>> page = more ? rows.subList(0, size) : rows;
            return new BookablePage(page.stream().map(ReservationRepository.Sequenced::value).toList(),
                    more ? Paging.encodeCursor(BOOKABLE_LIST, page.get(page.size() - 1).sequence()) : null);
        });
    }

    /**
     * The bookable's slots from {@code from} to {@code to} (days in the program's zone, both in;
     * default: today, and {@code from}), each with its capacity left. Fails with BOOKABLE_NOT_FOUND
     * or VALIDATION_FAILED (the days reversed, or more than availabilityDaysMax).
     */
    public Uni<Availability> availability(UUID bookableId, LocalDate from, LocalDate to) {
        LocalDate first = from == null ? today() : from;
        LocalDate last = to == null ? first : to;
        if (last.isBefore(first)) {
            throw ProblemException.invalid("to", "must not be before from");
        }
        if (first.plusDays(config.availabilityDaysMax()).isBefore(last.plusDays(1))) {
            throw ProblemException.invalid("to", "at most " + config.availabilityDaysMax() + " days from from");
        }
        return bookable(bookableId).flatMap(bookable -> repository.booked(bookableId, startOf(first), startOf(last.plusDays(1)))
                .map(booked -> {
                    List<Availability.Slot> slots = new ArrayList<>();
                    SlotGrid grid = bookable.grid();
                    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                        for (LocalDateTime start : grid.starts(day)) {
                            OffsetDateTime startsAt = utc(start);
                            int taken = booked.getOrDefault(startsAt, 0);
                            slots.add(new Availability.Slot(startsAt, startsAt.plusMinutes(bookable.slotMinutes()), bookable.capacity(),
                                    taken, Math.max(0, bookable.capacity() - taken)));
                        }
                    }
                    return new Availability(bookableId, first, last, slots);
                }));
    }

    // ----- a member's reservations

    /**
     * Books the slot. Fails with IDEMPOTENCY_KEY_REQUIRED, MEMBER_NOT_FOUND, BOOKABLE_NOT_FOUND,
     * VALIDATION_FAILED (no slot starts then), RESERVATION_WINDOW_CLOSED, RESERVATION_SLOT_FULL,
     * RESERVATION_ALREADY_BOOKED, or IDEMPOTENCY_KEY_REUSED.
     */
    public Uni<Answer> book(Caller caller, UUID memberId, String idempotencyKey, BookRequest request) {
        LedgerService.requireIdempotencyKey(idempotencyKey);
        OffsetDateTime startsAt = utc(request.startsAt());
        byte[] hash = hash("BOOK", request.bookableId() + "|" + startsAt.toInstant());
        UUID reservationId = TimeOrderedIds.next(clock.millis());
        // The key is looked at first: a retry of a booking made is answered even once its slot has started.
        RequestKey key = new RequestKey(memberId, caller.partnerId(), idempotencyKey);
        return ledger.balance(memberId).flatMap(balance -> bookable(request.bookableId()).flatMap(bookable -> repository.pool()
                .withTransaction(transaction -> repository
                        .recordRequest(transaction, key, reservationId, "BOOK", hash)
                        .flatMap(fresh -> {
                            if (!fresh) {
                                return replay(transaction, key, "BOOK", hash);
                            }
                            requireSlot(bookable, startsAt, balance.tier());
                            return takeSeat(transaction, bookable, startsAt)
                                    .chain(() -> repository.insertReservation(transaction, reservationId, memberId, bookable, startsAt,
                                            caller.partnerId()))
                                    .call(reservation -> repository.planReminders(transaction, reservation, reminders(reservation)))
                                    .map(reservation -> new Answer(reservation, false));
                        }))))
                .onFailure(ReservationService::memberHoldsTheSlot).transform(failure -> alreadyBooked());
    }

    /**
     * Moves the reservation to another slot of its bookable: a seat there, the old one freed, its
     * reminders planned anew. The slot it holds already changes nothing. Fails as a booking does,
     * and with RESERVATION_NOT_FOUND or RESERVATION_NOT_CHANGEABLE (not booked, or started).
     */
    public Uni<Answer> change(Caller caller, UUID memberId, UUID reservationId, String idempotencyKey, ChangeRequest request) {
        LedgerService.requireIdempotencyKey(idempotencyKey);
        OffsetDateTime startsAt = utc(request.startsAt());
        byte[] hash = hash("CHANGE", reservationId + "|" + startsAt.toInstant());
        RequestKey key = new RequestKey(memberId, caller.partnerId(), idempotencyKey);
        return ledger.balance(memberId).flatMap(balance -> repository.pool().withTransaction(transaction -> repository
                .recordRequest(transaction, key, reservationId, "CHANGE", hash)
                .flatMap(fresh -> !fresh ? replay(transaction, key, "CHANGE", hash)
                        : lockChangeable(transaction, memberId, reservationId).flatMap(reservation -> {
                            if (reservation.startsAt().toInstant().equals(startsAt.toInstant())) {
                                return Uni.createFrom().item(new Answer(reservation, false));
                            }
                            return bookable(transaction, reservation.bookableId()).flatMap(bookable -> {
                                requireSlot(bookable, startsAt, balance.tier());
                                return moveSeat(transaction, bookable, reservation, startsAt)
                                        .chain(() -> repository.move(transaction, reservation, startsAt,
                                                startsAt.plusMinutes(bookable.slotMinutes())))
                                        .call(moved -> repository.cancelReminders(transaction, moved)
                                                .chain(() -> repository.planReminders(transaction, moved, reminders(moved))))
                                        .map(moved -> new Answer(moved, false));
                            });
                        }))))
                .onFailure(ReservationService::memberHoldsTheSlot).transform(failure -> alreadyBooked());
    }

    /**
     * Cancels the reservation: its seat freed, its reminders not sent. A cancelled one stays as it
     * is. Fails with IDEMPOTENCY_KEY_REQUIRED, RESERVATION_NOT_FOUND, RESERVATION_NOT_CHANGEABLE
     * (attended, no-show, or started) or IDEMPOTENCY_KEY_REUSED.
     */
    public Uni<Answer> cancel(Caller caller, UUID memberId, UUID reservationId, String idempotencyKey) {
        LedgerService.requireIdempotencyKey(idempotencyKey);
        byte[] hash = hash("CANCEL", reservationId.toString());
        RequestKey key = new RequestKey(memberId, caller.partnerId(), idempotencyKey);
        return repository.pool().withTransaction(transaction -> repository
                .recordRequest(transaction, key, reservationId, "CANCEL", hash)
                .flatMap(fresh -> !fresh ? replay(transaction, key, "CANCEL", hash)
                        : repository.lockReservation(transaction, memberId, reservationId).flatMap(found -> {
                            Reservation reservation = found.orElseThrow(() -> notFound(reservationId));
                            if (reservation.status() == ReservationStatus.CANCELLED) {
                                return Uni.createFrom().item(new Answer(reservation, false));
                            }
                            requireChangeable(reservation);
                            return repository.freeSeat(transaction, reservation.bookableId(), reservation.startsAt())
                                    .chain(() -> repository.cancelReminders(transaction, reservation))
                                    .chain(() -> repository.setStatus(transaction, reservation, ReservationStatus.CANCELLED))
                                    .map(cancelled -> new Answer(cancelled, false));
                        })));
    }

    /** Fails with RESERVATION_NOT_FOUND. */
    public Uni<Reservation> reservation(UUID memberId, UUID reservationId) {
        return repository.reservation(repository.pool(), memberId, reservationId)
                .map(found -> found.orElseThrow(() -> notFound(reservationId)));
    }

    /** Newest first. Fails with MEMBER_NOT_FOUND or VALIDATION_FAILED. */
    public Uni<ReservationPage> reservations(UUID memberId, String cursor, String limit) {
        int size = Paging.pageSize(limit, config.pageSizeDefault(), ReservationsConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(RESERVATION_LIST, cursor);
        return ledger.balance(memberId).chain(() -> repository.reservations(memberId, before, size + 1)).map(rows -> {
            boolean more = rows.size() > size;
            List<ReservationRepository.Sequenced<Reservation>> page = more ? rows.subList(0, size) : rows;
            return new ReservationPage(page.stream().map(ReservationRepository.Sequenced::value).toList(),
                    more ? Paging.encodeCursor(RESERVATION_LIST, page.get(page.size() - 1).sequence()) : null);
        });
    }

    /**
     * Records whether the member came: ATTENDED from {@code attendance-opens-before} the start (an
     * attended reservation is an occasion campaigns of trigger RESERVATION_ATTENDED reward), NO_SHOW
     * once the slot has started. Recording the outcome it has changes nothing. Fails with
     * RESERVATION_NOT_FOUND or RESERVATION_NOT_CHANGEABLE.
     */
    public Uni<Reservation> recordAttendance(Caller actor, UUID reservationId, AttendanceRequest.Outcome outcome) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        ReservationStatus status = ReservationStatus.valueOf(outcome.name());
        return repository.pool().withTransaction(transaction -> repository.lockReservation(transaction, reservationId)
                .flatMap(found -> {
                    Reservation reservation = found.orElseThrow(() -> notFound(reservationId));
                    if (reservation.status() == status) {
                        return Uni.createFrom().item(reservation);
                    }
                    if (reservation.status() != ReservationStatus.BOOKED) {
                        throw notChangeable("The reservation is " + reservation.status());
                    }
                    OffsetDateTime opens = outcome == AttendanceRequest.Outcome.ATTENDED
                            ? reservation.startsAt().minus(config.attendanceOpensBefore()) : reservation.startsAt();
                    if (now.isBefore(opens)) {
                        throw notChangeable(outcome + " can be recorded from " + opens);
                    }
                    return repository.setStatus(transaction, reservation, status)
                            .call(changed -> repository.cancelReminders(transaction, changed))
                            .call(changed -> status == ReservationStatus.ATTENDED ? repository.attendedEvent(transaction, changed, now)
                                    : Uni.createFrom().voidItem())
                            .call(changed -> audit.record(transaction, actor.auditActor(), AuditAction.RESERVATION_ATTENDANCE_RECORDED,
                                    reservationId.toString(), Map.of("outcome", status.name())));
                }));
    }

    // ----- rules

    /**
     * A slot of the bookable starts then, it has not started, and the member's tier may book that
     * far ahead (the bookable's window, and more days for upper tiers).
     */
    private void requireSlot(Bookable bookable, OffsetDateTime startsAt, Tier tier) {
        LocalDateTime local = LocalDateTime.ofInstant(startsAt.toInstant(), zone);
        // The round trip refuses the second of two instants one local time names when clocks go back:
        // availability lists a slot once, at its first.
        if (!bookable.grid().offers(local) || !utc(local).toInstant().equals(startsAt.toInstant())) {
            throw ProblemException.invalid("startsAt", "no slot of this bookable starts then: see its availability");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (!startsAt.isAfter(now)) {
            throw new ProblemException(ErrorCode.RESERVATION_WINDOW_CLOSED, "The slot has started");
        }
        LocalDate lastDay = today().plusDays(bookable.bookingWindowDays() + (long) earlyDays(tier));
        if (local.toLocalDate().isAfter(lastDay)) {
            throw new ProblemException(ErrorCode.RESERVATION_WINDOW_CLOSED, "A " + tier + " member may book up to " + lastDay);
        }
    }

    private int earlyDays(Tier tier) {
        return switch (tier) {
            case GOLD -> config.goldEarlyDays();
            case SILVER -> config.silverEarlyDays();
            case BASIC -> 0;
        };
    }

    private Uni<Void> takeSeat(SqlClient transaction, Bookable bookable, OffsetDateTime startsAt) {
        return repository.takeSeat(transaction, bookable.bookableId(), startsAt, bookable.capacity()).invoke(taken -> {
            if (!taken) {
                throw new ProblemException(ErrorCode.RESERVATION_SLOT_FULL, "The slot at " + startsAt + " is fully booked");
            }
        }).replaceWithVoid();
    }

    /** A seat of the new slot and the old one freed, the earlier slot's row first (one order for every transaction: no deadlock). */
    private Uni<Void> moveSeat(SqlClient transaction, Bookable bookable, Reservation reservation, OffsetDateTime startsAt) {
        Uni<Void> free = Uni.createFrom().deferred(() -> repository.freeSeat(transaction, bookable.bookableId(), reservation.startsAt()));
        Uni<Void> take = Uni.createFrom().deferred(() -> takeSeat(transaction, bookable, startsAt));
        return startsAt.isBefore(reservation.startsAt()) ? take.chain(() -> free) : free.chain(() -> take);
    }

    private Uni<Reservation> lockChangeable(SqlClient transaction, UUID memberId, UUID reservationId) {
        return repository.lockReservation(transaction, memberId, reservationId).map(found -> {
            Reservation reservation = found.orElseThrow(() -> notFound(reservationId));
            requireChangeable(reservation);
            return reservation;
        });
    }

    private void requireChangeable(Reservation reservation) {
        if (reservation.status() != ReservationStatus.BOOKED) {
            throw notChangeable("The reservation is " + reservation.status());
        }
        if (!reservation.startsAt().isAfter(OffsetDateTime.now(clock))) {
            throw notChangeable("The slot has started");
        }
    }

    /**
     * The reminders of a reservation: the day before its day at the configured time, and the
     * configured time before it; those already past are not planned.
     */
    private List<PlannedReminder> reminders(Reservation reservation) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        LocalDate day = LocalDate.ofInstant(reservation.startsAt().toInstant(), zone);
        OffsetDateTime dayBefore = day.minusDays(1).atTime(config.reminderDayBeforeAt()).atZone(zone).toOffsetDateTime();
        OffsetDateTime sameDay = reservation.startsAt().minus(config.reminderSameDayBefore());
        List<PlannedReminder> reminders = new ArrayList<>();
        if (dayBefore.isAfter(now) && dayBefore.isBefore(reservation.startsAt())) {
            reminders.add(new PlannedReminder("DAY_BEFORE", dayBefore));
        }
        if (sameDay.isAfter(now)) {
            reminders.add(new PlannedReminder("SAME_DAY", sameDay));
        }
        return reminders;
    }

    /** The answer a key gave before: the reservation as it stands now, unless the key made another request (IDEMPOTENCY_KEY_REUSED). */
    private Uni<Answer> replay(SqlClient transaction, RequestKey key, String action, byte[] hash) {
        return repository.request(transaction, key).flatMap(stored -> {
            if (!stored.action().equals(action) || !MessageDigest.isEqual(stored.hash(), hash)) {
                throw new ProblemException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key made another request");
            }
            return repository.reservation(transaction, key.memberId(), stored.reservationId())
                    .map(found -> new Answer(found.orElseThrow(() -> notFound(stored.reservationId())), true));
        });
    }

    private static byte[] hash(String action, String request) {
        try {
            return MessageDigest.getInstance("SHA-256").digest((action + "|" + request).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The unique index on a member's booked slots refused a second booking of one. */
    private static boolean memberHoldsTheSlot(Throwable failure) {
        return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
                && pg.getMessage() != null && pg.getMessage().contains("reservations_one_per_member_and_slot");
    }

    private static ProblemException alreadyBooked() {
        return new ProblemException(ErrorCode.RESERVATION_ALREADY_BOOKED, "The member already holds a booking of this slot");
    }

    private static ProblemException notFound(UUID reservationId) {
        return new ProblemException(ErrorCode.RESERVATION_NOT_FOUND, "No reservation " + reservationId + " of this member");
    }

    private static ProblemException notChangeable(String why) {
        return new ProblemException(ErrorCode.RESERVATION_NOT_CHANGEABLE, why);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    private OffsetDateTime startOf(LocalDate day) {
        return day.atStartOfDay(zone).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
    }

    private OffsetDateTime utc(LocalDateTime local) {
        return local.atZone(zone).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static OffsetDateTime utc(OffsetDateTime time) {
        return time.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
