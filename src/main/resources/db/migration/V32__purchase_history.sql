-- Purchases from before the program, brought over from the system it replaces (an import of kind
-- PURCHASES): what tiers, recommendations, segments and churn learn from. They carry no points and
-- are not transfers: the ledger holds what was earned and spent, this holds what was bought.
CREATE TABLE purchase_history (
    member_id          uuid        NOT NULL,
    -- The old system's order (or invoice, or receipt) id: one purchase per member and order, so a
    -- file imported again changes nothing.
    order_id           text        NOT NULL,
    -- Derived from member and order: the key under which tiers and recommendations count the
    -- purchase once, in the place of an earn's transfer id.
    purchase_id        uuid        NOT NULL,
    occurred_at        timestamptz NOT NULL,
    -- The sum of the lines' amounts, in minor units of the program currency.
    amount_minor_units bigint      NOT NULL CHECK (amount_minor_units >= 0),
    channel            text        CHECK (channel IN ('POS', 'ONLINE', 'PARTNER')),
    -- The lines with a product, as an earn's metadata holds them: sku, category, quantity,
    -- unitPrice, and the line's amount.
    items              jsonb       NOT NULL,
    import_job_id      uuid        NOT NULL,
    -- The row of the file the purchase's first line was on (the header is row 1).
    first_row          bigint      NOT NULL,
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (member_id, order_id)
);
CREATE INDEX purchase_history_by_member_time ON purchase_history (member_id, occurred_at);

ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check CHECK (kind IN ('MEMBERS', 'BALANCES', 'PURCHASES'));

-- A purchase from before the program counts toward a tier with the points it earned then: none.
-- NOT VALID here (no scan under this transaction's exclusive lock), validated by V33.
ALTER TABLE tier_purchases DROP CONSTRAINT tier_purchases_points_check;
ALTER TABLE tier_purchases ADD CONSTRAINT tier_purchases_points_check CHECK (points >= 0) NOT VALID;

-- Inserted by imports, deleted with the rest of a member's purchase history when they are erased.
GRANT SELECT, INSERT, DELETE ON purchase_history TO "${runtime_role}";
