-- Sales reports: purchases (earns for an amount) and their line items, rolled up per day like the
-- rest of the ledger (V46), by the day they were recorded in the program's time zone.

-- Per day, partner and product: the lines sold, their quantity and amount (quantity x unit price).
CREATE TABLE report_item_days (
    day                date   NOT NULL,
    partner_id         text   NOT NULL,
    sku                text   NOT NULL,
    category           text,
    lines              bigint NOT NULL,
    quantity           bigint NOT NULL,
    amount_minor_units bigint NOT NULL,
    PRIMARY KEY (day, partner_id, sku)
);

-- Per day, hour of the day and partner: the purchases and their amount.
CREATE TABLE report_hour_days (
    day                date     NOT NULL,
    hour               smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
    partner_id         text     NOT NULL,
    purchases          bigint   NOT NULL,
    amount_minor_units bigint   NOT NULL,
    PRIMARY KEY (day, hour, partner_id)
);

-- Per day and member: the purchases and their amount, for the best customers of a period.
CREATE TABLE report_member_days (
    day                date   NOT NULL,
    member_id          uuid   NOT NULL,
    purchases          bigint NOT NULL,
    amount_minor_units bigint NOT NULL,
    PRIMARY KEY (day, member_id)
);

-- The days rolled up before these tables existed have none of their rows: every day is rolled up
-- again, oldest first (rollups are derived from the transfers, which stay).
DELETE FROM report_transfer_days;
DELETE FROM report_bonus_days;
DELETE FROM report_lot_days;
DELETE FROM report_rollup_days;

GRANT SELECT, INSERT, DELETE ON report_item_days, report_hour_days, report_member_days TO "${runtime_role}";
