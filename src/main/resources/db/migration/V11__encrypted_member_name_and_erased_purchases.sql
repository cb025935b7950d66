-- A member's name is personal data like their email and phone: new members store it encrypted
-- (same "<key id>:<base64>" form, the member id and field bound as associated data). Rows enrolled
-- before this version keep their plaintext name in "name" until erased: SQL holds no encryption key,
-- so they cannot be re-encrypted here. Erasure clears both columns and the external id.
ALTER TABLE members ADD COLUMN name_encrypted text;

-- Members whose purchase history recommendations erased, and when. A purchase event from before
-- that moment that arrives later (delivery is at least once, and may lag) leaves member_items
-- empty instead of writing the history back; purchases after it are recorded as usual.
CREATE TABLE recommendation_erasures (
    member_id uuid        PRIMARY KEY,
    erased_at timestamptz NOT NULL
);
