-- Rewards members spend points on, and causes they give points to. A claim and a donation are
-- ledger transfers (REWARD_CLAIM, DONATION) written by the one write path, which takes the unit
-- of stock, or credits the cause, in the same transaction as the points.

-- The catalogue. The columns the write path decides a claim on (price, stock, eligibility, window,
-- per-member limit, cut-off) are columns; the words and pictures for a front-end are the rest.
CREATE TABLE rewards (
    reward_id             uuid        PRIMARY KEY,
    -- The order of lists, newest first.
    sequence              bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    kind                  text        NOT NULL CHECK (kind IN ('PRODUCT', 'SERVICE', 'EXPERIENCE', 'GIFT_CARD')),
    status                text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'RETIRED')),
    name                  text        NOT NULL,
    description           text,
    image_urls            text[]      NOT NULL DEFAULT '{}',
    points                bigint      NOT NULL CHECK (points > 0),
    -- A tier's own price, where it differs: {"GOLD": 800}.
    points_by_tier        jsonb       NOT NULL DEFAULT '{}',
    -- Null: every tier.
    eligible_tiers        text[],
    -- Units (or an event's seats) left; null: no limit. Never below zero: a claim the write path
    -- let through by mistake would fail here rather than oversell.
    stock                 bigint      CHECK (stock >= 0),
    -- Claims not cancelled, fulfilled or not.
    claimed               bigint      NOT NULL DEFAULT 0 CHECK (claimed >= 0),
    per_member_limit      integer     CHECK (per_member_limit > 0),
    available_from        timestamptz,
    available_until       timestamptz,
    -- An EXPERIENCE: when and where, and until when a member may cancel.
    starts_at             timestamptz,
    venue                 text,
    cancellable_until     timestamptz,
    -- The partner that hands the reward over and marks claims fulfilled (the operator always may).
    fulfilment_partner_id text        REFERENCES partners (partner_id),
    -- Moves with each change the operator makes (not with claims), for If-Match.
    version               bigint      NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'EXPERIENCE' OR (starts_at IS NOT NULL AND venue IS NOT NULL AND stock IS NOT NULL))
);
CREATE INDEX rewards_by_status ON rewards (status, sequence);

-- One row per claim, keyed like the REWARD_CLAIM transfer that paid for it (claim_id is its id).
CREATE TABLE reward_claims (
    claim_id                 uuid        NOT NULL,
    member_id                uuid        NOT NULL,
    sequence                 bigint      GENERATED ALWAYS AS IDENTITY,
    reward_id                uuid        NOT NULL REFERENCES rewards (reward_id),
    partner_id               text        NOT NULL,
    points                   bigint      NOT NULL CHECK (points > 0),
    status                   text        NOT NULL CHECK (status IN ('CLAIMED', 'FULFILLED', 'CANCELLED')),
    claimed_at               timestamptz NOT NULL,
    fulfilled_at             timestamptz,
    fulfilled_by             text,
    fulfilment_reference     text,
    cancelled_at             timestamptz,
    cancellation_transfer_id uuid,
    -- When the reminder of an EXPERIENCE was written to the outbox (once).
    reminded_at              timestamptz,
    PRIMARY KEY (claim_id, member_id),
    FOREIGN KEY (claim_id, member_id) REFERENCES transfers (transfer_id, member_id),
    FOREIGN KEY (cancellation_transfer_id, member_id) REFERENCES transfers (transfer_id, member_id)
);
-- Not unique on its own: a key of a table split by member holds the member (the transfer's key
-- already makes the pair unique).
CREATE INDEX reward_claims_by_id ON reward_claims (claim_id);
-- A member's claims of a reward still counting toward its per-member limit.
CREATE INDEX reward_claims_active_by_member ON reward_claims (member_id, reward_id) WHERE status <> 'CANCELLED';
CREATE INDEX reward_claims_by_member ON reward_claims (member_id, sequence);
CREATE INDEX reward_claims_by_reward ON reward_claims (reward_id, sequence);
-- Every claim in order, for the fulfilment partners' and the operator's lists.
CREATE INDEX reward_claims_by_sequence ON reward_claims (sequence);

-- Causes: ledger accounts of their own, credited by members' donations and by the program's
-- matching, within its budget.
CREATE TABLE causes (
    cause_id                uuid        PRIMARY KEY,
    sequence                bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    status                  text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'CLOSED')),
    name                    text        NOT NULL,
    description             text,
    -- The program adds this share of each donation (1 000 is 10 %), until it has matched the budget.
    match_rate_basis_points integer     NOT NULL DEFAULT 0 CHECK (match_rate_basis_points BETWEEN 0 AND 100000),
    match_budget            bigint      NOT NULL DEFAULT 0 CHECK (match_budget >= 0),
    -- Moves with each change the operator makes (not with donations), for If-Match.
    version                 bigint      NOT NULL DEFAULT 1,
    matched                 bigint      NOT NULL DEFAULT 0 CHECK (matched >= 0),
    donated                 bigint      NOT NULL DEFAULT 0 CHECK (donated >= 0),
    balance                 bigint      NOT NULL DEFAULT 0,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    -- The budget is a hard limit, whatever races: a matching past it fails the whole transaction.
    CHECK (matched <= match_budget),
    CHECK (balance = donated + matched)
);
CREATE INDEX causes_by_status ON causes (status, sequence);

-- The cause's side of each donation: the points given (DONATION) and the program's match (MATCH),
-- both tied to the member's DONATION transfer. Append-only; a cause's balance is their sum.
CREATE TABLE cause_entries (
    transfer_id uuid        NOT NULL,
    member_id   uuid        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('DONATION', 'MATCH')),
    cause_id    uuid        NOT NULL REFERENCES causes (cause_id),
    points      bigint      NOT NULL CHECK (points > 0),
    occurred_at timestamptz NOT NULL,
    PRIMARY KEY (transfer_id, member_id, kind),
    FOREIGN KEY (transfer_id, member_id) REFERENCES transfers (transfer_id, member_id)
);
CREATE INDEX cause_entries_by_cause_time ON cause_entries (cause_id, occurred_at);

-- The new kinds: REWARD_CLAIM and DONATION spend points like a redeem; REWARD_CANCELLATION gives a
-- claim's points back. Only widened, added NOT VALID and validated by V37 (see V29).
ALTER TABLE transfers DROP CONSTRAINT transfers_kind_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_kind_check CHECK (kind IN ('EARN', 'REDEEM', 'HOLD', 'CAPTURE', 'VOID',
    'HOLD_EXPIRED', 'REVERSAL', 'ADJUSTMENT', 'EXPIRY', 'MIGRATION', 'REWARD_CLAIM', 'REWARD_CANCELLATION',
    'DONATION')) NOT VALID;
ALTER TABLE transfers DROP CONSTRAINT transfers_effect_matches_kind;
ALTER TABLE transfers ADD CONSTRAINT transfers_effect_matches_kind CHECK (
    (kind = 'EARN'         AND posted_delta = points  AND held_delta = 0) OR
    (kind = 'REDEEM'       AND posted_delta = -points AND held_delta = 0) OR
    (kind = 'HOLD'         AND posted_delta = 0       AND held_delta = points) OR
    (kind = 'CAPTURE'      AND posted_delta = -points AND held_delta <= -points) OR
    (kind IN ('VOID', 'HOLD_EXPIRED') AND posted_delta = 0 AND held_delta = -points) OR
    (kind = 'REVERSAL'     AND held_delta = 0 AND abs(posted_delta) <= points) OR
    (kind = 'ADJUSTMENT'   AND held_delta = 0 AND abs(posted_delta) = points) OR
    (kind = 'EXPIRY'       AND posted_delta = -points AND held_delta = 0) OR
    (kind = 'MIGRATION'    AND posted_delta = points  AND held_delta = 0) OR
    (kind = 'REWARD_CLAIM' AND posted_delta = -points AND held_delta = 0) OR
    (kind = 'REWARD_CANCELLATION' AND posted_delta = points AND held_delta = 0) OR
    (kind = 'DONATION'     AND posted_delta = -points AND held_delta = 0)
) NOT VALID;

-- A reminder of an event a member holds a seat at is a notification of its own kind.
ALTER TABLE member_messages DROP CONSTRAINT member_messages_kind_check;
ALTER TABLE member_messages ADD CONSTRAINT member_messages_kind_check
    CHECK (kind IN ('ANNOUNCEMENT', 'TIER_CHANGED', 'POINTS_EXPIRING', 'COUPON_ISSUED', 'REWARD_REMINDER')) NOT VALID;

GRANT SELECT, INSERT, UPDATE ON rewards TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE ON reward_claims TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE ON causes TO "${runtime_role}";
GRANT SELECT, INSERT ON cause_entries TO "${runtime_role}";
