-- Announcements: a title and body per language sent to an audience (every member, or members of
-- some tiers). It is planned in bounded batches, in member id order, from planned_through: each
-- batch writes its members' messages and moves planned_through in one transaction, so planning
-- resumes where it stopped after a restart and never writes a message twice.
CREATE TABLE announcements (
    sequence            bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    announcement_id     uuid        PRIMARY KEY,
    -- {"en": {"title": …, "body": …}, "ko": {…}}: a member gets their language, else the default.
    contents            jsonb       NOT NULL,
    default_language    text        NOT NULL CHECK (default_language ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
    audience_tiers      text[],
    importance          text        NOT NULL CHECK (importance IN ('NORMAL', 'IMPORTANT')),
    status              text        NOT NULL CHECK (status IN ('PLANNING', 'PLANNED', 'CANCELLED')),
    planned_through     uuid,
    members_planned     bigint      NOT NULL DEFAULT 0,
    members_unreachable bigint      NOT NULL DEFAULT 0,
    messages_planned    bigint      NOT NULL DEFAULT 0,
    idempotency_key     text        NOT NULL CHECK (length(idempotency_key) <= 255),
    request_hash        bytea       NOT NULL,
    created_by          text        NOT NULL,
    created_at          timestamptz NOT NULL,
    planned_at          timestamptz,
    cancelled_at        timestamptz,
    -- A key is the caller's own, as for every other write.
    UNIQUE (created_by, idempotency_key)
);
CREATE INDEX announcements_planning ON announcements (created_at) WHERE status = 'PLANNING';

-- Every message to a member on one channel: an announcement's, or a notification's (tier changed,
-- points expiring, coupon issued), with the event it came from as payload. The delivery log: a
-- message is PENDING until a provider took it (SENT), or it is given up (FAILED), or it was not
-- sent because the member cannot be reached on that channel any more (SKIPPED: consent
-- withdrawn, no address, erased). Written by the announcement planner and the notifications'
-- consumer group, never by the write path.
CREATE TABLE member_messages (
    -- The order messages were written in, for pages; not a key (the table is split by member).
    sequence         bigint      GENERATED ALWAYS AS IDENTITY,
    member_id        uuid        NOT NULL,
    -- Derived from source, member and channel, so that planning a message again makes no second
    -- one; providers may drop repeats by it.
    message_id       uuid        NOT NULL,
    channel          text        NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'PUSH')),
    kind             text        NOT NULL CHECK (kind IN ('ANNOUNCEMENT', 'TIER_CHANGED', 'POINTS_EXPIRING', 'COUPON_ISSUED')),
    -- The announcement, or the event of a notification.
    source_id        uuid        NOT NULL,
    announcement_id  uuid        REFERENCES announcements (announcement_id),
    payload          jsonb,
    status           text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'SKIPPED')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- When the next attempt is due (after the member's quiet hours).
    next_attempt_at  timestamptz NOT NULL,
    retry_until      timestamptz NOT NULL,
    -- The attempt in flight: only the claim that holds the current token records its outcome, and
    -- until claimed_until no other claim takes the message. Neither is indexed, so that a claim
    -- is a HOT update (no index written) on the way to its one recorded outcome.
    claim_token      uuid,
    claimed_until    timestamptz,
    last_error       text        CHECK (length(last_error) <= 500),
    created_at       timestamptz NOT NULL DEFAULT now(),
    settled_at       timestamptz,
    PRIMARY KEY (member_id, message_id)
) WITH (fillfactor = 70);
-- Few indexes, most of them partial: an announcement writes a row per member and updates it twice.
CREATE INDEX member_messages_due ON member_messages (channel, next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX member_messages_by_member ON member_messages (member_id, sequence);
CREATE INDEX member_messages_by_announcement ON member_messages (announcement_id, sequence) WHERE announcement_id IS NOT NULL;
CREATE INDEX member_messages_pending_of_announcement ON member_messages (announcement_id, channel)
    WHERE status = 'PENDING' AND announcement_id IS NOT NULL;
CREATE INDEX member_messages_settled ON member_messages (settled_at) WHERE status <> 'PENDING';
-- For the timer that fails messages past their retry window (retry_until never changes).
CREATE INDEX member_messages_retry_window ON member_messages (retry_until) WHERE status = 'PENDING';

GRANT SELECT, INSERT, UPDATE ON announcements TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON member_messages TO "${runtime_role}";
