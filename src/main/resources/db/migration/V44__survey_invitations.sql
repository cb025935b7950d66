-- Survey invitations: a PURCHASE or RESERVATION_ATTENDED survey that invites sends the member of
-- each target a SURVEY_INVITATION notification, once per target, and at most one per member and
-- survey in a quiet period (points-ledger.feedback.invitation-quiet-days).

ALTER TABLE surveys ADD COLUMN invites boolean NOT NULL DEFAULT false;
ALTER TABLE surveys ADD CONSTRAINT surveys_segment_invites_by_announcement CHECK (NOT (invites AND trigger = 'SEGMENT'));

-- One row per invitation sent: the key that keeps a redelivered event from inviting twice.
CREATE TABLE survey_invitations (
    member_id  uuid        NOT NULL REFERENCES members (member_id),
    survey_id  uuid        NOT NULL REFERENCES surveys (survey_id),
    target_id  uuid        NOT NULL,
    invited_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (member_id, survey_id, target_id)
);
CREATE INDEX survey_invitations_latest ON survey_invitations (member_id, survey_id, invited_at DESC);

-- An invitation is a notification of its own kind.
ALTER TABLE member_messages DROP CONSTRAINT member_messages_kind_check;
ALTER TABLE member_messages ADD CONSTRAINT member_messages_kind_check
    CHECK (kind IN ('ANNOUNCEMENT', 'TIER_CHANGED', 'POINTS_EXPIRING', 'COUPON_ISSUED', 'REWARD_REMINDER',
                    'RESERVATION_REMINDER', 'SURVEY_INVITATION')) NOT VALID;

GRANT SELECT, INSERT, DELETE ON survey_invitations TO "${runtime_role}";
