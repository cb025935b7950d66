-- Segments: each member's RFM measures and age, recomputed in bounded runs; the quintile cutoffs
-- each run found over the active base; and saved rules over these attributes.

-- What a run measured of a member as of its day, a row per member and run: segments read the rows
-- of the newest finished run, so that every score comes from one run and its cutoffs while the next
-- run writes its own; the rows of runs before are deleted once a newer one finishes. Region, tier
-- and churn risk are not copied here: segments read them where they live, so that they are current.
CREATE TABLE member_segment_attributes (
    member_id    uuid     NOT NULL REFERENCES members (member_id),
    run_id       uuid     NOT NULL,
    -- Whole days from the last purchase to the run's day; null: no purchase yet.
    recency_days integer  CHECK (recency_days >= 0),
    -- Purchases, and their amount in minor units, in the run's window.
    frequency    integer  NOT NULL CHECK (frequency >= 0),
    monetary     bigint   NOT NULL CHECK (monetary >= 0),
    -- Whole years on the run's day, from the encrypted birth date; null: not given.
    age          smallint CHECK (age >= 0),
    PRIMARY KEY (member_id, run_id)
);
CREATE INDEX member_segment_attributes_by_run ON member_segment_attributes (run_id);

-- A recomputation: at most one open at a time (the partial unique index). The instance whose
-- claim it holds measures members page by page, keeping where it got to and beating its
-- heartbeat, so that another instance resumes a run whose heartbeat stopped; a finished run's
-- cutoffs are the quintile boundaries segments score by, the newest finished run's in force.
CREATE TABLE segment_attribute_runs (
    sequence          bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    run_id            uuid        PRIMARY KEY,
    as_of             date        NOT NULL,
    window_days       integer     NOT NULL CHECK (window_days > 0),
    requested         text        NOT NULL CHECK (requested IN ('SCHEDULE', 'REQUEST')),
    started_at        timestamptz NOT NULL DEFAULT now(),
    claimed_by        uuid        NOT NULL,
    heartbeat_at      timestamptz NOT NULL DEFAULT now(),
    last_member_id    uuid        NOT NULL,
    members_measured  bigint      NOT NULL DEFAULT 0,
    -- Times another instance took the run over; past a limit the run is closed as failed, so that
    -- a run that fails on every attempt does not keep every later one from opening.
    takeovers         integer     NOT NULL DEFAULT 0,
    finished_at       timestamptz,
    failed            boolean     NOT NULL DEFAULT false,
    -- Members with a purchase in the window, whom the cutoffs are taken over.
    active_members    bigint,
    -- The 20th, 40th, 60th and 80th percentiles (percentile_disc) of the active base: recency over
    -- minus the days, so that a more recent purchase scores higher.
    recency_cutoffs   bigint[]    CHECK (cardinality(recency_cutoffs) = 4),
    frequency_cutoffs bigint[]    CHECK (cardinality(frequency_cutoffs) = 4),
    monetary_cutoffs  bigint[]    CHECK (cardinality(monetary_cutoffs) = 4)
);
CREATE UNIQUE INDEX segment_attribute_runs_one_open ON segment_attribute_runs ((true)) WHERE finished_at IS NULL;
CREATE INDEX segment_attribute_runs_newest_finished ON segment_attribute_runs (finished_at DESC)
    WHERE finished_at IS NOT NULL AND NOT failed;

-- A value's score 1 to 5: one more than the cutoffs it is above. Null for a null value or before
-- any run has finished (null cutoffs).
CREATE FUNCTION segment_quintile(value bigint, cutoffs bigint[]) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT 1 + (value > cutoffs[1])::integer + (value > cutoffs[2])::integer + (value > cutoffs[3])::integer
                   + (value > cutoffs[4])::integer $$;

CREATE TABLE segments (
    sequence    bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    segment_id  uuid        PRIMARY KEY,
    name        text        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    description text        CHECK (length(description) <= 500),
    rule        text        NOT NULL CHECK (length(rule) BETWEEN 1 AND 1000),
    version     bigint      NOT NULL DEFAULT 1 CHECK (version > 0),
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE, DELETE ON member_segment_attributes TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE ON segment_attribute_runs, segments TO "${runtime_role}";
GRANT EXECUTE ON FUNCTION segment_quintile(bigint, bigint[]) TO "${runtime_role}";

-- An announcement may be for a saved segment's members instead of tiers. Its audience_tiers is then
-- the empty array, which the release before reads as no member: an instance of it planning such an
-- announcement during a rollout reaches nobody rather than everybody.
ALTER TABLE announcements ADD COLUMN audience_segment_id uuid REFERENCES segments (segment_id);
