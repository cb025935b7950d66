-- Reservations: services members book at a store (bookables), the bookings of each slot under its
-- capacity, members' reservations, the requests that made them (a retry answers what the first
-- did), and the reminders planned with each booking.

CREATE TABLE bookables (
    sequence            bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    bookable_id         uuid        PRIMARY KEY,
    store               text        NOT NULL CHECK (length(store) BETWEEN 1 AND 64),
    service             text        NOT NULL CHECK (length(service) BETWEEN 1 AND 100),
    capacity            integer     NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    slot_minutes        integer     NOT NULL CHECK (slot_minutes BETWEEN 5 AND 1440),
    -- [{"day": "SATURDAY", "opens": "10:00", "closes": "18:00"}, …] in the program's time zone.
    opening_hours       jsonb       NOT NULL,
    booking_window_days integer     NOT NULL CHECK (booking_window_days BETWEEN 1 AND 365),
    created_by          text        NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now()
);

-- A slot's bookings, made with its first: the one row every booking, change and cancellation of
-- the slot updates, so that bookings never pass capacity however many come at once.
CREATE TABLE reservation_slots (
    bookable_id uuid        NOT NULL REFERENCES bookables (bookable_id),
    starts_at   timestamptz NOT NULL,
    capacity    integer     NOT NULL CHECK (capacity > 0),
    booked      integer     NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
    PRIMARY KEY (bookable_id, starts_at)
);

CREATE TABLE reservations (
    -- Orders a member's reservations for paging (with member_id: a distributed table's keys hold it).
    sequence       bigint      GENERATED ALWAYS AS IDENTITY,
    reservation_id uuid        NOT NULL,
    member_id      uuid        NOT NULL REFERENCES members (member_id),
    bookable_id    uuid        NOT NULL REFERENCES bookables (bookable_id),
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL CHECK (ends_at > starts_at),
    status         text        NOT NULL CHECK (status IN ('BOOKED', 'CANCELLED', 'ATTENDED', 'NO_SHOW')),
    booked_by      text        NOT NULL,
    version        bigint      NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (reservation_id, member_id)
);
CREATE INDEX reservations_of_member ON reservations (member_id, sequence DESC);
-- A member holds at most one booking of a slot.
CREATE UNIQUE INDEX reservations_one_per_member_and_slot ON reservations (member_id, bookable_id, starts_at)
    WHERE status = 'BOOKED';

-- Keyed like the ledger's keys, by member, caller and key; kept for a day
-- (points-ledger.reservations.request-retention), then purged.
CREATE TABLE reservation_requests (
    member_id       uuid        NOT NULL,
    partner_id      text        NOT NULL,
    idempotency_key text        NOT NULL CHECK (length(idempotency_key) <= 255),
    reservation_id  uuid        NOT NULL,
    action          text        NOT NULL CHECK (action IN ('BOOK', 'CHANGE', 'CANCEL')),
    request_hash    bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (member_id, partner_id, idempotency_key)
);
CREATE INDEX reservation_requests_by_age ON reservation_requests (created_at);

-- Planned in the transaction that books (or moves) the reservation; sent once, by the run that
-- takes it (SKIP LOCKED) and marks it in the statement that writes its event.
CREATE TABLE reservation_reminders (
    reminder_id    uuid        NOT NULL,
    reservation_id uuid        NOT NULL,
    member_id      uuid        NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('DAY_BEFORE', 'SAME_DAY')),
    due_at         timestamptz NOT NULL,
    sent_at        timestamptz,
    cancelled_at   timestamptz,
    PRIMARY KEY (reminder_id, member_id),
    FOREIGN KEY (reservation_id, member_id) REFERENCES reservations (reservation_id, member_id)
);
CREATE INDEX reservation_reminders_due ON reservation_reminders (due_at) WHERE sent_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX reservation_reminders_of_reservation ON reservation_reminders (reservation_id);

-- A reservation's reminder is a notification of its own kind.
ALTER TABLE member_messages DROP CONSTRAINT member_messages_kind_check;
ALTER TABLE member_messages ADD CONSTRAINT member_messages_kind_check
    CHECK (kind IN ('ANNOUNCEMENT', 'TIER_CHANGED', 'POINTS_EXPIRING', 'COUPON_ISSUED', 'REWARD_REMINDER',
                    'RESERVATION_REMINDER')) NOT VALID;

GRANT SELECT, INSERT ON bookables TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE ON reservation_slots, reservations, reservation_reminders TO "${runtime_role}";
GRANT SELECT, INSERT, DELETE ON reservation_requests TO "${runtime_role}";
