-- The members report: enrolments, active members, repurchases, tier movements and the lifetime
-- value of each month's enrolments.

-- Enrolments per month: the members of a month found by their enrolment time.
CREATE INDEX members_enrolled_at ON members (enrolled_at);

-- Every change of a member's tier, written with the change itself (and its TIER_CHANGED event).
CREATE TABLE tier_changes (
    member_id  uuid        NOT NULL,
    sequence   bigint      GENERATED ALWAYS AS IDENTITY,
    from_tier  text        NOT NULL,
    to_tier    text        NOT NULL,
    reason     text,
    changed_at timestamptz NOT NULL,
    PRIMARY KEY (member_id, sequence)
);
CREATE INDEX tier_changes_changed_at ON tier_changes (changed_at);

-- Per month of the program's time zone and member who bought in it (an earn for an amount): the
-- day of their first purchase that month, and the day of the first purchase after it (in that
-- month or the two after it), for the share of members who came back within N days. Written by
-- the rollups, day by day and slice by slice in order: the first day is kept, the next one set once.
CREATE TABLE report_member_months (
    month     date NOT NULL,
    member_id uuid NOT NULL,
    first_day date NOT NULL,
    again_day date,
    PRIMARY KEY (month, member_id)
);
-- A day's buyers find their rows of the months before (to set again_day).
CREATE INDEX report_member_months_member ON report_member_months (member_id, month);

-- Per day and month of enrolment: what the members enrolled that month bought that day (a day
-- rollup, like report_member_days, added to by slices and replaced by the day's rollup).
CREATE TABLE report_cohort_days (
    day                date   NOT NULL,
    cohort_month       date   NOT NULL,
    purchases          bigint NOT NULL,
    amount_minor_units bigint NOT NULL,
    PRIMARY KEY (day, cohort_month)
);

GRANT SELECT, INSERT ON tier_changes TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON report_member_months, report_cohort_days TO "${runtime_role}";

-- Benefits used per month: coupons found by when they were issued, claims by when they were made.
CREATE INDEX coupons_issued_at ON coupons (issued_at);
CREATE INDEX reward_claims_claimed_at ON reward_claims (claimed_at);

-- The rollups' format: a day rolled up by code of an older format (version 1, before these tables
-- existed, still running during a rolling deploy) lacks their rows, so the rollups of this format
-- (version 2) take no day of an older one as rolled up, and roll it up again, oldest first.
ALTER TABLE report_rollup_days ADD COLUMN version smallint NOT NULL DEFAULT 1;

GRANT UPDATE ON report_rollup_days TO "${runtime_role}";
