package io.pointsledger.imports;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.List;

/**
 * What one kind of import does that the others do not: which columns its file has, what a row
 * is, and how a chunk of rows is applied. {@link ImportRunner} does the rest for every kind:
 * reading, leases, pace, progress and resuming.
 *
 * @param <R> a valid row
 * @param <P> a chunk's valid rows, made ready to apply
 */
interface ImportHandler<R, P> {

    /** Checks the header, when the import is asked for. Fails with IMPORT_HEADER_INVALID. */
    void checkHeader(List<String> header);

    /** Checks the header and answers how rows are read. Fails with IMPORT_HEADER_INVALID. Runs off the event loop. */
    Rows<R, P> rows(List<String> header, ImportJob job);

    /**
     * Applies a chunk's rows and, through {@code progress}, records in a transaction the chunk's
     * refused rows and the job's progress: in the same transaction as the rows where they are
     * written by this import itself (members), after them where another write path takes them
     * (balances, which must then be idempotent: a restart applies the chunk again).
     */
    Uni<ImportRepository.StoredJob> apply(ImportJob job, P prepared, Progress progress);

    /** How a kind's rows are read: each row parsed, then a chunk's valid ones made ready (off the event loop). */
    interface Rows<R, P> {
        Parsed<R> parse(long rowNumber, List<String> cells);

        P prepare(List<R> valid);

        /**
         * What binds consecutive rows into one whole that a chunk must not split (a purchase's
         * lines), read from the raw cells whether the row is valid or not; null: nothing.
         */
        default Object group(List<String> cells) {
            return null;
        }

        /** How many rows past its size a chunk may take to end with a whole group (0: none). */
        default int groupRowsMax() {
            return 0;
        }
    }

    /** A row read: its value, or why it is refused (never both). */
    record Parsed<R>(R row, List<ImportRowError> errors) {
    }

    /** A chunk's progress, recorded in the handler's transaction. */
    interface Progress {
        /**
         * Records a chunk's outcome, with the refused rows found while applying it, in {@code transaction}.
         * Fails (so that the transaction rolls back) when another instance holds the job now.
         */
        Uni<ImportRepository.StoredJob> record(SqlClient transaction, long accepted, long existing, List<ImportRowError> refused);

        /**
         * Locks the job's row until {@code transaction} ends, for a handler that writes in more than
         * one transaction per chunk: two instances' runs of the job take turns, and one whose job
         * another instance took over (the takeover names the new holder) fails, rolling back, before
         * it writes. Fails when another instance holds the job now.
         */
        Uni<Void> holdLease(SqlClient transaction);
    }
}
