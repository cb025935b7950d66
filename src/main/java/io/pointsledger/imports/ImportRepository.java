package io.pointsledger.imports;

import io.pointsledger.members.EnrollmentChannel;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** All SQL about imports: the jobs, their progress and their refused rows. */
@ApplicationScoped
public class ImportRepository {

    private static final String COLUMNS = """
            sequence, job_id, kind, format, file_name, file_bytes, channel, post_points, status, last_row, rows_read, rows_accepted, rows_existing,
            rows_refused, bytes_read, bytes_total, failure, created_at, started_at, updated_at, finished_at""";

    private static final String INSERT = """
            INSERT INTO import_jobs (job_id, kind, format, file_name, file_bytes, channel, post_points, status, created_by,
                                     created_at, updated_at, leased_by, lease_until)
            VALUES ($1, $2, $3, $4, $5, $6, $10, 'RUNNING', $7, now(), now(), $8, now() + make_interval(secs => $9))
            RETURNING %s""".formatted(COLUMNS);

    private static final String FIND = "SELECT " + COLUMNS + " FROM import_jobs WHERE job_id = $1";

    private static final String PAGE = """
            SELECT %s FROM import_jobs WHERE sequence < $1 ORDER BY sequence DESC LIMIT $2""".formatted(COLUMNS);

    /** The oldest running job no live instance holds, leased to {@code $1} for {@code $2} seconds. */
    private static final String CLAIM = """
            UPDATE import_jobs SET leased_by = $1, lease_until = now() + make_interval(secs => $2)
             WHERE job_id = (SELECT job_id FROM import_jobs
                              WHERE status = 'RUNNING' AND (lease_until IS NULL OR lease_until < now())
                              ORDER BY sequence LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING %s""".formatted(COLUMNS);

    /**
     * A chunk's progress, only while {@code $2} holds the lease (the job row locked, so that a
     * chunk is counted once even if a lapsed holder wakes up): its counters added, the reading's
     * position, the lease renewed. No row: the lease was lost, and the transaction must roll back.
     */
    private static final String PROGRESS = """
            UPDATE import_jobs
               SET last_row = $11, rows_read = rows_read + $3, rows_accepted = rows_accepted + $4, rows_existing = rows_existing + $5,
                   rows_refused = rows_refused + $6, bytes_read = $7, bytes_total = $8,
                   started_at = COALESCE(started_at, now()), updated_at = now(),
                   lease_until = now() + make_interval(secs => $9),
                   status = CASE WHEN $10 THEN 'DONE' ELSE status END,
                   finished_at = CASE WHEN $10 THEN now() END
             WHERE job_id = $1 AND leased_by = $2 AND status = 'RUNNING'
            RETURNING %s""".formatted(COLUMNS);

    /** The job's row, locked until the transaction ends, while {@code holder} holds its lease. */
    private static final String HOLD_LEASE = """
            SELECT job_id FROM import_jobs WHERE job_id = $1 AND leased_by = $2 AND status = 'RUNNING' FOR UPDATE""";

    private static final String FAIL = """
            UPDATE import_jobs SET status = 'FAILED', failure = $3, updated_at = now(), finished_at = now()
             WHERE job_id = $1 AND leased_by = $2 AND status = 'RUNNING'
            RETURNING %s""".formatted(COLUMNS);

    /** The lease of a job this instance runs, renewed while it reads (a resumed workbook is read again up to where it was). */
    private static final String RENEW = """
            UPDATE import_jobs SET lease_until = now() + make_interval(secs => $3)
             WHERE job_id = $1 AND leased_by = $2 AND status = 'RUNNING'""";

    private static final String INSERT_ERRORS = """
            INSERT INTO import_row_errors (job_id, row_number, field, code, message)
            SELECT $1::uuid, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[])
                ON CONFLICT (job_id, row_number, field) DO NOTHING""";

    private static final String ERRORS_PAGE = """
            SELECT sequence, row_number, field, code, message FROM import_row_errors
             WHERE job_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3""";

    private final Pool pool;

    ImportRepository(Pool pool) {
        this.pool = pool;
    }

    /** A job as stored, with the sequence that pages through jobs. */
    record StoredJob(long sequence, ImportJob job, long fileBytes, long lastRow, long bytesRead) {
    }

    /** A new running job, leased to {@code holder}: it starts on the instance that accepted it. */
    Uni<StoredJob> insert(SqlClient transaction, UUID jobId, ImportRequest request, ImportFormat format, long fileBytes,
            EnrollmentChannel channel, String createdBy, String holder, Duration lease) {
        Tuple arguments = Tuple.tuple().addUUID(jobId).addString(request.kind().name()).addString(format.name())
                .addString(request.file()).addLong(fileBytes).addString(channel.name()).addString(createdBy)
                .addString(holder).addDouble((double) lease.toSeconds()).addBoolean(request.postsPoints());
        return transaction.preparedQuery(INSERT).execute(arguments).map(ImportRepository::first);
    }

    Uni<StoredJob> find(UUID jobId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(jobId)).map(ImportRepository::first);
    }

    Uni<List<StoredJob>> page(long before, int size) {
        return pool.preparedQuery(PAGE).execute(Tuple.of(before, size)).map(ImportRepository::all);
    }

    Uni<StoredJob> claim(String holder, Duration lease) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(holder, (double) lease.toSeconds())).map(ImportRepository::first);
    }

    /** What one chunk did, to count. */
    record ChunkCounts(long rowsRead, long accepted, long existing, long refused, long lastRow, long bytesRead,
            long bytesTotal, boolean last) {
    }

    /** The job after the chunk, or null when {@code holder} no longer holds its lease. */
    Uni<StoredJob> progress(SqlClient transaction, UUID jobId, String holder, ChunkCounts counts, Duration lease) {
        Tuple arguments = Tuple.tuple().addUUID(jobId).addString(holder).addLong(counts.rowsRead()).addLong(counts.accepted())
                .addLong(counts.existing()).addLong(counts.refused()).addLong(counts.bytesRead()).addLong(counts.bytesTotal())
                .addDouble((double) lease.toSeconds()).addBoolean(counts.last()).addLong(counts.lastRow());
        return transaction.preparedQuery(PROGRESS).execute(arguments).map(ImportRepository::first);
    }

    /** Whether {@code holder} holds the job's lease, the job's row locked until {@code transaction} ends. */
    Uni<Boolean> holdLease(SqlClient transaction, UUID jobId, String holder) {
        return transaction.preparedQuery(HOLD_LEASE).execute(Tuple.of(jobId, holder)).map(rows -> rows.size() == 1);
    }

    /** Whether {@code holder} still holds the job's lease, now renewed. */
    Uni<Boolean> renew(UUID jobId, String holder, Duration lease) {
        return pool.preparedQuery(RENEW).execute(Tuple.of(jobId, holder, (double) lease.toSeconds())).map(rows -> rows.rowCount() == 1);
    }

    Uni<StoredJob> fail(UUID jobId, String holder, String failure) {
        return pool.preparedQuery(FAIL).execute(Tuple.of(jobId, holder, failure)).map(ImportRepository::first);
    }

    Uni<Void> insertErrors(SqlClient transaction, UUID jobId, List<ImportRowError> errors) {
        if (errors.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] rows = errors.stream().map(ImportRowError::row).toArray(Long[]::new);
        String[] fields = errors.stream().map(ImportRowError::field).toArray(String[]::new);
        String[] codes = errors.stream().map(ImportRowError::code).toArray(String[]::new);
        String[] messages = errors.stream().map(ImportRowError::message).toArray(String[]::new);
        return transaction.preparedQuery(INSERT_ERRORS).execute(Tuple.of(jobId, rows, fields, codes, messages))
                .replaceWithVoid();
    }

    /** Refused rows after {@code after} (a sequence), in row order, each with its sequence. */
    record StoredError(long sequence, ImportRowError error) {
    }

    Uni<List<StoredError>> errors(UUID jobId, long after, int size) {
        return pool.preparedQuery(ERRORS_PAGE).execute(Tuple.of(jobId, after, size)).map(rows -> {
            List<StoredError> errors = new ArrayList<>(rows.size());
            rows.forEach(row -> errors.add(new StoredError(row.getLong("sequence"), new ImportRowError(row.getLong("row_number"),
                    row.getString("field"), row.getString("code"), row.getString("message")))));
            return errors;
        });
    }

    private static StoredJob first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : toStored(rows.iterator().next());
    }

    private static List<StoredJob> all(RowSet<Row> rows) {
        List<StoredJob> jobs = new ArrayList<>(rows.size());
        rows.forEach(row -> jobs.add(toStored(row)));
        return jobs;
    }

    private static StoredJob toStored(Row row) {
        ImportStatus status = ImportStatus.valueOf(row.getString("status"));
        long bytesRead = row.getLong("bytes_read");
        long bytesTotal = row.getLong("bytes_total");
        OffsetDateTime startedAt = row.getOffsetDateTime("started_at");
        OffsetDateTime updatedAt = row.getOffsetDateTime("updated_at");
        long rowsRead = row.getLong("rows_read");
        double progress = status == ImportStatus.DONE ? 1.0 : bytesTotal <= 0 ? 0.0 : Math.min(1.0, (double) bytesRead / bytesTotal);
        double seconds = startedAt == null ? 0 : Duration.between(startedAt, updatedAt).toMillis() / 1000.0;
        double rowsPerSecond = seconds <= 0 ? 0 : Math.round(rowsRead / seconds * 10) / 10.0;
        Long secondsLeft = status != ImportStatus.RUNNING ? Long.valueOf(0)
                : progress <= 0 || seconds <= 0 ? null : Math.round(seconds * (1 - progress) / progress);
        ImportJob job = new ImportJob(row.getUUID("job_id"), ImportKind.valueOf(row.getString("kind")),
                ImportFormat.valueOf(row.getString("format")), row.getString("file_name"),
                EnrollmentChannel.valueOf(row.getString("channel")), row.getBoolean("post_points"), status, rowsRead, row.getLong("rows_accepted"),
                row.getLong("rows_existing"), row.getLong("rows_refused"), progress, rowsPerSecond, secondsLeft,
                row.getString("failure"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("finished_at"));
        return new StoredJob(row.getLong("sequence"), job, row.getLong("file_bytes"), row.getLong("last_row"), bytesRead);
    }
}
