-- Churn risk: versioned models the service trains from its own purchase history, and each
-- member's score as of a day, refreshed nightly by one instance at a time.

CREATE TABLE churn_models (
    version          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trained_at       timestamptz NOT NULL DEFAULT now(),
    -- Trained on members' purchases before this day's start (program time), labelled by the days after.
    as_of            date        NOT NULL,
    -- Churn is no purchase within this many days after a day; a model answers only that question.
    horizon_days     integer     NOT NULL CHECK (horizon_days > 0),
    feature_names    text[]      NOT NULL,
    means            float8[]    NOT NULL,
    scales           float8[]    NOT NULL,
    weights          float8[]    NOT NULL,
    bias             float8      NOT NULL,
    training_members integer     NOT NULL CHECK (training_members > 0),
    -- Share of the training examples that did not buy again within the horizon.
    churn_share      float8      NOT NULL,
    training_auc     float8      NOT NULL,
    CHECK (cardinality(feature_names) = cardinality(weights)
           AND cardinality(means) = cardinality(weights) AND cardinality(scales) = cardinality(weights))
);

CREATE TABLE churn_scores (
    member_id     uuid        PRIMARY KEY,
    model_version bigint      NOT NULL,
    as_of         date        NOT NULL,
    risk          float8      NOT NULL CHECK (risk >= 0 AND risk <= 1),
    scored_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX churn_scores_by_risk ON churn_scores (risk DESC);

-- One scoring per day: the instance that inserts the day's row scores it, page by page, keeping
-- where it got to, so that another instance resumes a run whose heartbeat stopped. claimed_by
-- names the claim: an instance that lost the run to another writes no more of it.
CREATE TABLE churn_scoring_runs (
    as_of          date        PRIMARY KEY,
    model_version  bigint      NOT NULL,
    claimed_by     uuid        NOT NULL,
    last_member_id uuid,
    members_scored bigint      NOT NULL DEFAULT 0,
    heartbeat_at   timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz
);

GRANT SELECT, INSERT ON churn_models TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON churn_scores TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE ON churn_scoring_runs TO "${runtime_role}";
