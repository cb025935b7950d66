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

-- The days rolled up before these tables existed have none of their rows: every day is rolled up
-- again, oldest first (rollups are derived from the transfers, which stay).
DELETE FROM report_transfer_days;
DELETE FROM report_bonus_days;
DELETE FROM report_lot_days;
DELETE FROM report_item_days;
DELETE FROM report_hour_days;
DELETE FROM report_member_days;
DELETE FROM report_rollup_slices;
DELETE FROM report_rollup_days;
