-- Members brought in bulk from a file (a chain moving to the program, store staff registering
-- walk-in customers from a sheet): BULK marks a migration, whose members SIGNUP campaigns do not
-- reward; a sheet of new sign-ups is imported as OFFLINE or ONLINE.
ALTER TABLE members DROP CONSTRAINT members_enrollment_channel_check;
ALTER TABLE members ADD CONSTRAINT members_enrollment_channel_check
    CHECK (enrollment_channel IN ('ONLINE', 'OFFLINE', 'BULK'));

-- Which import enrolled the member, and from which row of its file: a second row of the same file
-- with the same external id is told apart from a member enrolled before the import.
ALTER TABLE members
    ADD COLUMN import_job_id uuid,
    ADD COLUMN import_row    bigint;

-- An import runs in the background, one chunk of rows per transaction; the chunk's members, its
-- refused rows and the job's counters are written together, so rows_read is where a restart goes
-- on from. An instance leases the job it works on; a lapsed lease lets any instance take it over.
CREATE TABLE import_jobs (
    sequence      bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    job_id        uuid        PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('MEMBERS')),
    format        text        NOT NULL CHECK (format IN ('CSV', 'XLSX')),
    file_name     text        NOT NULL,
    file_bytes    bigint      NOT NULL CHECK (file_bytes >= 0),
    channel       text        NOT NULL CHECK (channel IN ('ONLINE', 'OFFLINE', 'BULK')),
    status        text        NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
    -- The number of the last row of the file read (the header is row 1; empty rows count here, not
    -- in rows_read): where an import goes on from.
    last_row      bigint      NOT NULL DEFAULT 1,
    rows_read     bigint      NOT NULL DEFAULT 0,
    rows_accepted bigint      NOT NULL DEFAULT 0,
    rows_existing bigint      NOT NULL DEFAULT 0,
    rows_refused  bigint      NOT NULL DEFAULT 0,
    -- How far the reading is, in bytes of the data read (a CSV file; an XLSX sheet, unzipped):
    -- the progress and the time left are estimated from it; a CSV import resumes at it.
    bytes_read    bigint      NOT NULL DEFAULT 0,
    bytes_total   bigint      NOT NULL DEFAULT 0,
    failure       text,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL,
    started_at    timestamptz,
    updated_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    leased_by     text,
    lease_until   timestamptz
);

-- Why each refused row was refused: one line per row and field, as the error report lists them.
CREATE TABLE import_row_errors (
    sequence   bigint GENERATED ALWAYS AS IDENTITY,
    job_id     uuid   NOT NULL,
    row_number bigint NOT NULL,
    field      text   NOT NULL,
    code       text   NOT NULL,
    message    text   NOT NULL,
    PRIMARY KEY (job_id, row_number, field)
);
-- Written a chunk after another, in row order: the report is read in this order, page by page.
CREATE INDEX import_row_errors_by_job ON import_row_errors (job_id, sequence);

GRANT SELECT, INSERT, UPDATE ON import_jobs TO "${runtime_role}";
GRANT SELECT, INSERT ON import_row_errors TO "${runtime_role}";
