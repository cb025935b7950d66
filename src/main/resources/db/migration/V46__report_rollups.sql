-- Reports: the ledger rolled up per day, by the day a transfer was recorded (its book date) in
-- the program's time zone. A day is rolled up once, after it has ended and every transaction that
-- began in it has committed; reports read the rolled-up days and add the days not yet rolled up
-- (today, normally) from the transfers themselves.

-- A day's transfers, found by their recording time: BRIN, since transfers are appended in that
-- order, costs writes next to nothing. Page ranges are summarized as they fill (autosummarize), so
-- a rollup reads one day's ranges, not the table.
CREATE INDEX transfers_recorded_at_brin ON transfers USING brin (recorded_at) WITH (autosummarize = on);
-- The lots a day's transfers created, for the cohort they were issued in.
CREATE INDEX point_lots_source_transfer ON point_lots (source_transfer_id);

CREATE TABLE report_rollup_days (
    day          date        PRIMARY KEY,
    rolled_up_at timestamptz NOT NULL DEFAULT now()
);

-- The day's transfers per partner, channel and kind; bonus_points: what campaigns added to EARN
-- points; amount: the purchases' amounts in minor units of the program currency.
CREATE TABLE report_transfer_days (
    day                date   NOT NULL,
    partner_id         text   NOT NULL,
    channel            text   NOT NULL,
    kind               text   NOT NULL,
    transfers          bigint NOT NULL,
    points             bigint NOT NULL,
    posted_delta       bigint NOT NULL,
    held_delta         bigint NOT NULL,
    bonus_points       bigint NOT NULL,
    amount_minor_units bigint NOT NULL,
    PRIMARY KEY (day, partner_id, channel, kind)
);

-- The day's campaign bonuses per partner, channel and campaign.
CREATE TABLE report_bonus_days (
    day         date   NOT NULL,
    partner_id  text   NOT NULL,
    channel     text   NOT NULL,
    campaign_id uuid   NOT NULL,
    grants      bigint NOT NULL,
    points      bigint NOT NULL,
    PRIMARY KEY (day, partner_id, channel, campaign_id)
);

-- The day's changes to lots, per partner that issued the lot and month it was issued in (the
-- cohort): ISSUED (lots created), or the kind of the transfer that moved them (signed; REFUND: a
-- reversal giving spent points back).
CREATE TABLE report_lot_days (
    day                date   NOT NULL,
    issuing_partner_id text   NOT NULL,
    cohort_month       date   NOT NULL,
    flow               text   NOT NULL,
    points             bigint NOT NULL,
    PRIMARY KEY (day, issuing_partner_id, cohort_month, flow)
);
CREATE INDEX report_lot_days_cohort ON report_lot_days (cohort_month);

GRANT SELECT, INSERT, DELETE ON report_rollup_days, report_transfer_days, report_bonus_days, report_lot_days TO "${runtime_role}";
