package io.pointsledger.imports;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs imports of every kind: reads a chunk of rows off the event loop (parsing, validation and,
 * for members, the encryption of personal data are the costly parts), has the kind's
 * {@link ImportHandler} apply it, and records the chunk's refused rows and the job's progress, so
 * that a restart goes on after the last chunk recorded. The instance running a job holds its
 * lease; a job whose lease lapsed (its instance stopped) is taken over by the next run of
 * {@link ImportJobs}.
 */
@ApplicationScoped
class ImportRunner {

    private static final Logger LOG = Logger.getLogger(ImportRunner.class);

    /** This instance, as the holder of the leases it takes. */
    private final String holder = "imports-" + UUID.randomUUID();

    /** The jobs this instance runs: a lease it lets lapse while still reading is not taken over by itself. */
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();

    private final ImportRepository repository;
    private final ImportsConfig config;
    private final Map<ImportKind, ImportHandler<?, ?>> handlers;

    ImportRunner(ImportRepository repository, ImportsConfig config, MemberImportHandler members, BalanceImportHandler balances,
            PurchaseImportHandler purchases) {
        this.repository = repository;
        this.config = config;
        this.handlers = Map.of(ImportKind.MEMBERS, members, ImportKind.BALANCES, balances, ImportKind.PURCHASES, purchases);
    }

    /** The handler of a kind of import. */
    ImportHandler<?, ?> handler(ImportKind kind) {
        return handlers.get(kind);
    }

    /** This instance as the holder of a lease (a method: a field read through the bean's proxy would be the proxy's). */
    String holder() {
        return holder;
    }

    /** The file a request names, inside the import directory (the name's pattern admits no separator). */
    Path fileOf(String fileName) {
        return config.directory().resolve(fileName).normalize();
    }

    /** Opens a job's file, reads its header and goes to where the job stopped; on a worker thread. */
    <R, P> Reading<R, P> open(ImportRepository.StoredJob stored, ImportHandler<R, P> handler) throws IOException {
        ImportJob job = stored.job();
        Path file = fileOf(job.file());
        if (!Files.isRegularFile(file) || Files.size(file) != stored.fileBytes()) {
            throw new RowSource.UnreadableFile("The file " + job.file() + " is gone or changed since the import began");
        }
        RowSource source = job.format() == ImportFormat.CSV
                ? new CsvRowSource(file, stored.bytesRead(), stored.lastRow())
                : new XlsxRowSource(file);
        try {
            return new Reading<>(source, handler.rows(source.header(), job), stored.lastRow());
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Starts the job now, on this instance, without waiting for it. */
    void start(ImportRepository.StoredJob stored) {
        run(stored).subscribe().with(job -> LOG.infof("Import %s of %s: %s, %d rows read", job.jobId(), job.file(), job.status(),
                job.rowsRead()), failure -> LOG.warnf("Import %s stopped (the job takes it over once its lease lapses): %s",
                stored.job().jobId(), failure.toString()));
    }

    /** Takes over one running job whose lease lapsed, if any, and runs it to its end; null when none. */
    Uni<ImportJob> resumeAny() {
        return repository.claim(holder, config.lease()).chain(stored -> stored == null || running.contains(stored.job().jobId())
                ? Uni.createFrom().nullItem() : run(stored));
    }

    /**
     * Runs the job to its end: the job as it ends (DONE or FAILED), or as it was when the lease was
     * lost. Anything that breaks the reading fails the job, with its reason, rather than leaving it
     * to be taken over and break again; a failure to commit (the database away) leaves it running,
     * for its lease to lapse and the job to go on later. The lease is renewed a third of the way
     * through it while the job runs.
     */
    Uni<ImportJob> run(ImportRepository.StoredJob stored) {
        return run(stored, handlers.get(stored.job().kind()));
    }

    private <R, P> Uni<ImportJob> run(ImportRepository.StoredJob stored, ImportHandler<R, P> handler) {
        UUID jobId = stored.job().jobId();
        if (!running.add(jobId)) {
            return repository.find(jobId).map(ImportRepository.StoredJob::job);
        }
        Cancellable heartbeat = Multi.createFrom().ticks().every(config.lease().dividedBy(3))
                // A tick while a slow renewal is still going is dropped, not an overflow that ends the heartbeat.
                .onOverflow().drop()
                // A renewal that fails (the database away a moment) is tried again at the next tick.
                .onItem().transformToUniAndConcatenate(tick -> repository.renew(jobId, holder, config.lease())
                        .onFailure().invoke(failure -> LOG.debugf("Renewing the lease of import %s: %s", jobId, failure))
                        .onFailure().recoverWithItem(false))
                .subscribe().with(held -> { });
        return onWorker(() -> open(stored, handler))
                .chain(reading -> chunks(reading, stored.job(), handler).eventually(() -> onWorker(() -> {
                    reading.closeQuietly();
                    return null;
                })))
                .onFailure(ReadFailure.class).recoverWithUni(failure -> fail(jobId, failure.getMessage()))
                .onFailure(LeaseLost.class).recoverWithUni(() -> repository.find(jobId).map(ImportRepository.StoredJob::job))
                .eventually(() -> {
                    heartbeat.cancel();
                    running.remove(jobId);
                });
    }

    /** Reading work, off the event loop; whatever breaks it is the file's fault, a {@link ReadFailure}. */
    private static <T> Uni<T> onWorker(Reader<T> work) {
        return Uni.createFrom().item(() -> {
            try {
                return work.read();
            } catch (IOException | RuntimeException e) {
                throw new ReadFailure(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read() throws IOException;
    }

    private Uni<ImportJob> fail(UUID jobId, String reason) {
        return repository.fail(jobId, holder, reason).chain(failed -> failed != null ? Uni.createFrom().item(failed.job())
                : repository.find(jobId).map(ImportRepository.StoredJob::job));
    }

    /**
     * Chunk after chunk until the job is no longer running: repeated, not chained, so that a chunk
     * done is garbage (a chain of a thousand chunks would hold every one of them to the end).
     */
    private <R, P> Uni<ImportJob> chunks(Reading<R, P> reading, ImportJob job, ImportHandler<R, P> handler) {
        return Multi.createBy().repeating()
                .uni(() -> {
                    long started = System.nanoTime();
                    return onWorker(() -> reading.read(config.chunkRows()))
                            .chain(chunk -> commit(job, chunk, handler).call(() -> chunk.last() ? Uni.createFrom().voidItem()
                                    : paced(chunk.rows(), started)));
                })
                .whilst(after -> after.status() == ImportStatus.RUNNING)
                .collect().last();
    }

    /** Waits out what is left of the time {@code rows} should take at the configured pace. */
    private Uni<Void> paced(long rows, long startedNanos) {
        Duration pause = pause(rows, System.nanoTime() - startedNanos, config.rowsPerSecondMax());
        return pause.isZero() ? Uni.createFrom().voidItem() : Uni.createFrom().voidItem().onItem().delayIt().by(pause);
    }

    /** How long to wait after reading {@code rows} in {@code elapsedNanos} not to pass {@code rowsPerSecondMax} (0: no limit). */
    static Duration pause(long rows, long elapsedNanos, int rowsPerSecondMax) {
        if (rowsPerSecondMax <= 0) {
            return Duration.ZERO;
        }
        long due = rows * 1_000_000_000L / rowsPerSecondMax;
        return due > elapsedNanos ? Duration.ofNanos(due - elapsedNanos) : Duration.ZERO;
    }

    /**
     * Has the handler apply the chunk and record, with the rows it refused, the job's progress;
     * fails with {@link LeaseLost} when another instance holds the job now.
     */
    private <R, P> Uni<ImportJob> commit(ImportJob job, Chunk<P> chunk, ImportHandler<R, P> handler) {
        ImportHandler.Progress progress = new ImportHandler.Progress() {
            @Override
            public Uni<ImportRepository.StoredJob> record(io.vertx.mutiny.sqlclient.SqlClient transaction, long accepted, long existing,
                    List<ImportRowError> refused) {
                List<ImportRowError> errors = new ArrayList<>(chunk.errors());
                errors.addAll(refused);
                errors.sort(Comparator.comparingLong(ImportRowError::row).thenComparing(ImportRowError::field));
                long refusedRows = errors.stream().mapToLong(ImportRowError::row).distinct().count();
                ImportRepository.ChunkCounts counts = new ImportRepository.ChunkCounts(chunk.rows(), accepted, existing,
                        refusedRows, chunk.lastRow(), chunk.bytesRead(), chunk.bytesTotal(), chunk.last());
                // Failing, not answering null, when the lease is gone: the transaction the handler gave
                // must roll back, the rows it wrote for this import with it.
                return repository.insertErrors(transaction, job.jobId(), errors)
                        .chain(() -> repository.progress(transaction, job.jobId(), holder, counts, config.lease()))
                        .onItem().ifNull().failWith(LeaseLost::new);
            }

            @Override
            public Uni<Void> holdLease(io.vertx.mutiny.sqlclient.SqlClient transaction) {
                return repository.holdLease(transaction, job.jobId(), holder)
                        .invoke(held -> {
                            if (!held) {
                                throw new LeaseLost();
                            }
                        }).replaceWithVoid();
            }
        };
        return handler.apply(job, chunk.prepared(), progress).map(ImportRepository.StoredJob::job);
    }

    /** A chunk read: its valid rows made ready, rows refused, and where the reading is. */
    record Chunk<P>(P prepared, List<ImportRowError> errors, long rows, long lastRow, long bytesRead,
            long bytesTotal, boolean last) {
    }

    /** An open file, as far as it is read. */
    static final class Reading<R, P> {

        private final RowSource source;
        private final ImportHandler.Rows<R, P> rows;
        private final long resumeAfterRow;
        /** A row read past the end of the last chunk (it began another group): the next chunk's first. */
        private SourceRow pending;
        /** The last row a chunk took, and the bytes read up to its end: where a restart goes on. */
        private long lastRowTaken;
        private long bytesTaken;

        Reading(RowSource source, ImportHandler.Rows<R, P> rows, long resumeAfterRow) {
            this.source = source;
            this.rows = rows;
            this.resumeAfterRow = resumeAfterRow;
            this.lastRowTaken = source.rowNumber();
            this.bytesTaken = source.bytesRead();
        }

        private record SourceRow(List<String> cells, long number, long bytesAfter) {
        }

        /**
         * Up to {@code size} rows, validated, the valid ones made ready; and then the rest of the
         * group the last of them began, up to the kind's bound. Rows a resumed job read before are skipped.
         */
        Chunk<P> read(int size) throws IOException {
            List<R> valid = new ArrayList<>(size);
            List<ImportRowError> errors = new ArrayList<>();
            long count = 0;
            boolean last = false;
            Object group = null;
            while (count < size + (group == null ? 0 : rows.groupRowsMax())) {
                SourceRow row = nextRow();
                if (row == null) {
                    last = true;
                    break;
                }
                Object rowGroup = rows.group(row.cells());
                if (count >= size && (rowGroup == null || !rowGroup.equals(group))) {
                    pending = row;
                    break;
                }
                count++;
                group = rowGroup;
                lastRowTaken = row.number();
                bytesTaken = row.bytesAfter();
                ImportHandler.Parsed<R> parsed = rows.parse(row.number(), row.cells());
                if (parsed.row() != null) {
                    valid.add(parsed.row());
                } else {
                    errors.addAll(parsed.errors());
                }
            }
            return new Chunk<>(rows.prepare(valid), errors, count, lastRowTaken, bytesTaken, source.bytesTotal(), last);
        }

        /** The row held back from the last chunk, else the file's next one not read before a restart; null at the end. */
        private SourceRow nextRow() throws IOException {
            if (pending != null) {
                SourceRow row = pending;
                pending = null;
                return row;
            }
            while (true) {
                List<String> cells = source.next();
                if (cells == null) {
                    lastRowTaken = Math.max(lastRowTaken, source.rowNumber());
                    bytesTaken = source.bytesRead();
                    return null;
                }
                if (source.rowNumber() > resumeAfterRow) {
                    return new SourceRow(cells, source.rowNumber(), source.bytesRead());
                }
                lastRowTaken = source.rowNumber();
                bytesTaken = source.bytesRead();
            }
        }

        void closeQuietly() {
            try {
                source.close();
            } catch (IOException e) {
                LOG.debugf("Closing an import's file: %s", e.toString());
            }
        }
    }

    /** The file could not be read on: the job fails with the reason. */
    static final class ReadFailure extends RuntimeException {
        ReadFailure(Exception cause) {
            super(cause instanceof IOException || cause instanceof io.pointsledger.platform.ProblemException
                    ? cause.getMessage() : "The file cannot be read on: " + cause, cause);
        }
    }

    /** Another instance holds the job now: this one stops, its last chunk rolled back. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("The import's lease was lost", null, false, false);
        }
    }
}
