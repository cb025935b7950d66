package io.pointsledger.imports;

import io.pointsledger.members.ImportedMembers;
import io.pointsledger.members.MemberService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs member imports: reads a chunk of rows off the event loop (parsing, validation and the
 * encryption of personal data are the costly parts), then enrolls it in one transaction with the
 * chunk's refused rows and the job's progress, so that a restart goes on after the last chunk
 * committed and never enrolls a row twice. The instance running a job holds its lease; a job whose
 * lease lapsed (its instance stopped) is taken over by the next run of {@link ImportJobs}.
 */
@ApplicationScoped
class MemberImports {

    private static final Logger LOG = Logger.getLogger(MemberImports.class);

    /** This instance, as the holder of the leases it takes. */
    private final String holder = "imports-" + UUID.randomUUID();

    /** The jobs this instance runs: a lease it lets lapse while still reading is not taken over by itself. */
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();

    private final ImportRepository repository;
    private final MemberService members;
    private final ImportsConfig config;
    private final Validator validator;
    private final Pool pool;

    MemberImports(ImportRepository repository, MemberService members, ImportsConfig config, Validator validator, Pool pool) {
        this.repository = repository;
        this.members = members;
        this.config = config;
        this.validator = validator;
        this.pool = pool;
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
    Reading open(ImportRepository.StoredJob stored) throws IOException {
        ImportJob job = stored.job();
        Path file = fileOf(job.file());
        if (!Files.isRegularFile(file) || Files.size(file) != stored.fileBytes()) {
            throw new RowSource.UnreadableFile("The file " + job.file() + " is gone or changed since the import began");
        }
        RowSource source = job.format() == ImportFormat.CSV
                ? new CsvRowSource(file, stored.bytesRead(), stored.lastRow())
                : new XlsxRowSource(file);
        try {
            MemberColumns columns = MemberColumns.of(source.header());
            List<String> phoneCountryCodes = job.format() == ImportFormat.XLSX
                    ? config.workbookPhoneCountryCodes().orElse(List.of()) : List.of();
            return new Reading(source, new MemberRows(columns, validator, job.channel(), phoneCountryCodes), stored.lastRow());
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
        return onWorker(() -> open(stored))
                .chain(reading -> chunks(reading, stored.job()).eventually(() -> onWorker(() -> {
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
    private Uni<ImportJob> chunks(Reading reading, ImportJob job) {
        return Multi.createBy().repeating()
                .uni(() -> {
                    long started = System.nanoTime();
                    return onWorker(() -> reading.read(config.chunkRows(), members))
                            .chain(chunk -> commit(job, chunk).call(() -> chunk.last() ? Uni.createFrom().voidItem()
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

    /** Enrolls the chunk's members and records its refused rows and the job's progress, in one transaction. */
    private Uni<ImportJob> commit(ImportJob job, Chunk chunk) {
        return pool.withTransaction(transaction -> members.enrollImported(transaction, job.jobId(), job.channel(), chunk.members())
                .chain(results -> {
                    List<ImportRowError> errors = new ArrayList<>(chunk.errors());
                    long enrolled = 0;
                    long existing = 0;
                    for (ImportedMembers.Result result : results) {
                        switch (result.outcome()) {
                            case ENROLLED -> enrolled++;
                            case EXISTING -> existing++;
                            case DUPLICATE_IN_FILE -> errors.add(new ImportRowError(result.rowNumber(), "externalId",
                                    MemberRows.DUPLICATE_IN_FILE, result.firstRow() == null ? "repeats an earlier row's externalId"
                                            : "repeats the externalId of row " + result.firstRow()));
                            case ERASED -> errors.add(new ImportRowError(result.rowNumber(), "externalId", MemberRows.ERASED,
                                    "belongs to a member erased at their request: an import does not bring them back"));
                        }
                    }
                    errors.sort(Comparator.comparingLong(ImportRowError::row).thenComparing(ImportRowError::field));
                    long refused = errors.stream().mapToLong(ImportRowError::row).distinct().count();
                    ImportRepository.ChunkCounts counts = new ImportRepository.ChunkCounts(chunk.rows(), enrolled, existing,
                            refused, chunk.lastRow(), chunk.bytesRead(), chunk.bytesTotal(), chunk.last());
                    return repository.insertErrors(transaction, job.jobId(), errors)
                            .chain(() -> repository.progress(transaction, job.jobId(), holder, counts, config.lease()));
                })
                .onItem().ifNull().failWith(LeaseLost::new))
                .map(ImportRepository.StoredJob::job);
    }

    /** A chunk read: members to enroll, rows refused, and where the reading is. */
    record Chunk(ImportedMembers members, List<ImportRowError> errors, long rows, long lastRow, long bytesRead,
            long bytesTotal, boolean last) {
    }

    /** An open file, as far as it is read. */
    static final class Reading {

        private final RowSource source;
        private final MemberRows rows;
        private final long resumeAfterRow;

        Reading(RowSource source, MemberRows rows, long resumeAfterRow) {
            this.source = source;
            this.rows = rows;
            this.resumeAfterRow = resumeAfterRow;
        }

        /** Up to {@code size} rows, validated, the valid ones encrypted. Rows a resumed job read before are skipped. */
        Chunk read(int size, MemberService members) throws IOException {
            List<ImportedMembers.Row> valid = new ArrayList<>(size);
            List<ImportRowError> errors = new ArrayList<>();
            long count = 0;
            boolean last = false;
            while (count < size) {
                List<String> cells = source.next();
                if (cells == null) {
                    last = true;
                    break;
                }
                if (source.rowNumber() <= resumeAfterRow) {
                    continue;
                }
                count++;
                MemberRows.Parsed parsed = rows.parse(source.rowNumber(), cells);
                if (parsed.member() != null) {
                    valid.add(parsed.member());
                } else {
                    errors.addAll(parsed.errors());
                }
            }
            return new Chunk(members.prepareImport(valid), errors, count, source.rowNumber(), source.bytesRead(),
                    source.bytesTotal(), last);
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
