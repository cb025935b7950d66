-- Reports filtered by the member's tier at the time of each transfer (earn-burn, sales) and by
-- channel (sales, and breakage by the channel that issued the points): new dimensions in the
-- rollups' rows, which the rollup format 3 writes. Days rolled up in format 2 count as not rolled
-- up, and are rolled up again (ReportRepository.ROLLUP_VERSION).

-- Today's slices were written in format 2: they are dropped, and today is sliced again from its
-- start. A day rolled up whole keeps its rows until format 3 takes it over.
DELETE FROM report_transfer_days WHERE day NOT IN (SELECT day FROM report_rollup_days);
DELETE FROM report_bonus_days WHERE day NOT IN (SELECT day FROM report_rollup_days);
DELETE FROM report_lot_days WHERE day NOT IN (SELECT day FROM report_rollup_days);
DELETE FROM report_item_days WHERE day NOT IN (SELECT day FROM report_rollup_days);
DELETE FROM report_hour_days WHERE day NOT IN (SELECT day FROM report_rollup_days);
DELETE FROM report_member_days WHERE day NOT IN (SELECT day FROM report_rollup_days);
DELETE FROM report_cohort_days WHERE day NOT IN (SELECT day FROM report_rollup_days);
DELETE FROM report_rollup_slices;

-- Rows of format 2 get an empty tier or channel, which no filter names; no default stays, so
-- that code of format 2 still running during a rolling deploy fails to write rows of this one
-- rather than writing them without the new dimension. (Format 2 taking a day over whose slices of
-- format 3 counted every transfer writes nothing and marks the day format 2: format 3 takes it
-- over again at its next look, and reports leave the day out until then.)
ALTER TABLE report_transfer_days ADD COLUMN tier text NOT NULL DEFAULT '';
ALTER TABLE report_transfer_days ALTER COLUMN tier DROP DEFAULT;
ALTER TABLE report_transfer_days DROP CONSTRAINT report_transfer_days_pkey,
    ADD PRIMARY KEY (day, partner_id, channel, kind, tier);

ALTER TABLE report_bonus_days ADD COLUMN tier text NOT NULL DEFAULT '';
ALTER TABLE report_bonus_days ALTER COLUMN tier DROP DEFAULT;
ALTER TABLE report_bonus_days DROP CONSTRAINT report_bonus_days_pkey,
    ADD PRIMARY KEY (day, partner_id, channel, campaign_id, tier);

ALTER TABLE report_lot_days ADD COLUMN issuing_channel text NOT NULL DEFAULT '';
ALTER TABLE report_lot_days ALTER COLUMN issuing_channel DROP DEFAULT;
ALTER TABLE report_lot_days DROP CONSTRAINT report_lot_days_pkey,
    ADD PRIMARY KEY (day, issuing_partner_id, cohort_month, flow, issuing_channel);

ALTER TABLE report_hour_days ADD COLUMN channel text NOT NULL DEFAULT '', ADD COLUMN tier text NOT NULL DEFAULT '';
ALTER TABLE report_hour_days ALTER COLUMN channel DROP DEFAULT, ALTER COLUMN tier DROP DEFAULT;
ALTER TABLE report_hour_days DROP CONSTRAINT report_hour_days_pkey,
    ADD PRIMARY KEY (day, hour, partner_id, channel, tier);

-- Line items per channel and tier too, apart from report_item_days: a report of products that no
-- filter narrows reads one row per product and day there, not one per channel and tier as here.
CREATE TABLE report_item_filter_days (
    day                date   NOT NULL,
    partner_id         text   NOT NULL,
    sku                text   NOT NULL,
    channel            text   NOT NULL,
    tier               text   NOT NULL,
    category           text,
    lines              bigint NOT NULL,
    quantity           bigint NOT NULL,
    amount_minor_units bigint NOT NULL,
    PRIMARY KEY (day, partner_id, sku, channel, tier)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON report_item_filter_days TO "${runtime_role}";
