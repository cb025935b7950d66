-- The outbox relay no longer holds a transaction open while it waits for the broker. One relay at a
-- time still publishes (per-member commit order across instances), by holding this lease, renewed
-- before every batch in a statement of its own. A relay that dies stops renewing; another takes
-- over once the lease has run out.
CREATE TABLE outbox_relay_lease (
    id          smallint    PRIMARY KEY CHECK (id = 1),
    holder      text        NOT NULL,
    expires_at  timestamptz NOT NULL
);
INSERT INTO outbox_relay_lease (id, holder, expires_at) VALUES (1, 'nobody', '-infinity');

-- How often the broker refused this very event while it took others of its batch: an event the
-- broker keeps refusing on its own (too large, say) moves to the dead letters instead of holding
-- back every event behind it. A broker that refuses everything does not count against an event.
ALTER TABLE outbox ADD COLUMN refusals integer NOT NULL DEFAULT 0;

-- Events a consumer (or the relay) gave up on after its bounded retries, with the reason: kept
-- for an operator to inspect and, once the cause is fixed, to put back into the outbox.
CREATE TABLE dead_letters (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer    text        NOT NULL,
    event_id    uuid,
    member_id   uuid,
    payload     text        NOT NULL,
    reason      text        NOT NULL,
    attempts    integer     NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (consumer, event_id)
);
CREATE INDEX dead_letters_failed_at ON dead_letters (failed_at);
