-- How each member may be contacted. Consent is per channel and opt-in: a channel without a row, or
-- with granted = false, is never used. changed_at and source say when and through what the member
-- last gave or withdrew it (the audit log keeps every change).
CREATE TABLE member_contact_consents (
    member_id  uuid        NOT NULL,
    channel    text        NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'PUSH')),
    granted    boolean     NOT NULL,
    changed_at timestamptz NOT NULL,
    source     text        NOT NULL CHECK (source IN ('MEMBER_APP', 'WEBSITE', 'STORE', 'OPERATOR', 'IMPORT',
                                                      'UNSUBSCRIBE_LINK')),
    PRIMARY KEY (member_id, channel)
);

-- The channel a member would rather be reached on, and the hours (program time zone) in which
-- nothing is delivered to them; from > until spans midnight (22:00 to 08:00).
CREATE TABLE member_contact_preferences (
    member_id         uuid        PRIMARY KEY,
    preferred_channel text        CHECK (preferred_channel IN ('EMAIL', 'SMS', 'PUSH')),
    quiet_from        time,
    quiet_until       time,
    updated_at        timestamptz NOT NULL,
    CHECK ((quiet_from IS NULL AND quiet_until IS NULL)
           OR (quiet_from IS NOT NULL AND quiet_until IS NOT NULL AND quiet_from <> quiet_until))
);

-- Each unsubscribe link works once: its token id is recorded in the transaction that withdraws
-- the consent, so a second click (or a mail client's retry) is told the link was used.
CREATE TABLE unsubscribe_link_uses (
    member_id uuid        NOT NULL,
    token_id  uuid        NOT NULL,
    channel   text        NOT NULL,
    used_at   timestamptz NOT NULL,
    PRIMARY KEY (member_id, token_id)
);

GRANT SELECT, INSERT, UPDATE ON member_contact_consents TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE ON member_contact_preferences TO "${runtime_role}";
GRANT SELECT, INSERT ON unsubscribe_link_uses TO "${runtime_role}";
