-- What a member may edit of their own profile besides name, email, phone and birth date. Region and
-- language are coarse and are what segments and announcements select and address by, so they stay
-- readable to SQL; gender is personal data and is encrypted like the others ("<key id>:<base64>").
-- version counts the profile's changes: an edit names the version it was made against (If-Match),
-- so that two edits made from the same read cannot silently overwrite each other.
ALTER TABLE members
    ADD COLUMN region           text CHECK (length(region) BETWEEN 1 AND 64),
    ADD COLUMN language         text CHECK (language ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
    ADD COLUMN gender_encrypted text,
    ADD COLUMN version          bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
    ADD COLUMN updated_at       timestamptz;
