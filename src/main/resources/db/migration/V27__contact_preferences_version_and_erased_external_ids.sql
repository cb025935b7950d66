-- A member's contact preferences are stated whole, from what an app last read: version makes a
-- statement made from a stale read (say, before the member clicked an unsubscribe link in a
-- message) fail instead of granting again a consent the member withdrew. An unsubscribe link
-- moves the version too.
ALTER TABLE member_contact_preferences ADD COLUMN version bigint NOT NULL DEFAULT 1 CHECK (version >= 1);

-- The external ids of erased members, as blind indexes (HMAC under the blind-index key): an
-- import of an old file must not enroll again a person who asked to be erased. A new enrollment
-- one by one (POST /v1/members) still may: a person can come back. Keyed by the index alone, like
-- member_external_ids (deploy/SCALING.md).
CREATE TABLE erased_external_ids (
    external_id_index bytea       PRIMARY KEY,
    erased_at         timestamptz NOT NULL
);

GRANT SELECT, INSERT ON erased_external_ids TO "${runtime_role}";
