-- Feedback: surveys and members' answers, one per member, survey and target (a purchase, an
-- attended reservation, or the survey itself for one sent to a segment).

CREATE TABLE surveys (
    sequence      bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    survey_id     uuid        PRIMARY KEY,
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    trigger       text        NOT NULL CHECK (trigger IN ('PURCHASE', 'RESERVATION_ATTENDED', 'SEGMENT')),
    segment_id    uuid        REFERENCES segments (segment_id),
    -- [{"id", "kind", "text", "options", "required"}, …] as asked.
    questions     jsonb       NOT NULL,
    reward_points bigint      NOT NULL CHECK (reward_points >= 0),
    status        text        NOT NULL CHECK (status IN ('ACTIVE', 'CLOSED')),
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((trigger = 'SEGMENT') = (segment_id IS NOT NULL))
);

CREATE TABLE survey_responses (
    sequence              bigint      GENERATED ALWAYS AS IDENTITY,
    response_id           uuid        NOT NULL,
    survey_id             uuid        NOT NULL REFERENCES surveys (survey_id),
    member_id             uuid        NOT NULL REFERENCES members (member_id),
    target_id             uuid        NOT NULL,
    -- When the target happened (the purchase, the reservation's start; the answer, for a segment's
    -- survey): reports cover targets of a period, so that the response rate compares like with like.
    target_at             timestamptz NOT NULL,
    -- Where the target happened: a reservation's store or a purchase's partner, and a purchase's channel.
    store                 text,
    channel               text,
    answers               jsonb       NOT NULL,
    submitted_at          timestamptz NOT NULL DEFAULT now(),
    -- The ADJUSTMENT that paid the survey's points, once it is written (its key is derived from the
    -- survey and target, so a retry pays once).
    reward_transaction_id uuid,
    PRIMARY KEY (response_id, member_id),
    UNIQUE (survey_id, member_id, target_id)
);
CREATE INDEX survey_responses_by_survey ON survey_responses (survey_id, target_at);
CREATE INDEX survey_responses_newest ON survey_responses (survey_id, sequence DESC);

GRANT SELECT, INSERT, UPDATE ON surveys TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON survey_responses TO "${runtime_role}";
