package io.pointsledger.imports;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.members.EnrollmentChannel;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Starts imports, and tells how far they are and which rows they refused. */
@ApplicationScoped
public class ImportService {

    private static final String JOB_LIST = "imports";
    private static final String ERROR_LIST = "import-errors";

    private final ImportRepository repository;
    private final ImportRunner imports;
    private final ImportsConfig config;
    private final AuditLog audit;
    private final Pool pool;

    ImportService(ImportRepository repository, ImportRunner imports, ImportsConfig config, AuditLog audit, Pool pool) {
        this.repository = repository;
        this.imports = imports;
        this.config = config;
        this.audit = audit;
        this.pool = pool;
    }

    /**
     * Checks the file (in the import directory, not too large, of a known format, with a header
     * naming the fields of its kind), records the job, audited, and starts it on this instance. Fails with
     * IMPORT_FILE_NOT_FOUND, IMPORT_FILE_TOO_LARGE, IMPORT_HEADER_INVALID or VALIDATION_FAILED.
     */
    public Uni<ImportJob> start(Caller actor, ImportRequest request) {
        ImportFormat format = request.format() != null ? request.format() : ImportFormat.ofFileName(request.file());
        if (format == null) {
            throw ProblemException.invalid("format", "give CSV or XLSX: the file's name ends in neither .csv nor .xlsx");
        }
        if (request.postsPoints() && request.kind() != ImportKind.PURCHASES) {
            throw ProblemException.invalid("postPoints", "only a PURCHASES import posts points");
        }
        EnrollmentChannel channel = request.channel() != null ? request.channel() : EnrollmentChannel.BULK;
        UUID jobId = UUID.randomUUID();
        return Uni.createFrom().item(() -> checkedFile(request.file(), format, request.kind()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(fileBytes -> pool.withTransaction(transaction -> repository.insert(transaction, jobId, request, format, fileBytes,
                                channel, actor.auditActor().partnerId(), imports.holder(), config.lease())
                        .call(stored -> audit.record(transaction, actor.auditActor(), AuditAction.IMPORT_STARTED, jobId.toString(),
                                Map.of("file", request.file(), "kind", request.kind().name(), "format", format.name(),
                                        "channel", channel.name(), "postPoints", request.postsPoints())))))
                .invoke(imports::start)
                .map(ImportRepository.StoredJob::job);
    }

    /** The file's size once it is known to be importable; on a worker thread (it reads the header). */
    private long checkedFile(String fileName, ImportFormat format, ImportKind kind) {
        Path file = imports.fileOf(fileName);
        if (!file.startsWith(config.directory().normalize()) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new ProblemException(ErrorCode.IMPORT_FILE_NOT_FOUND, "No file " + fileName + " in the import directory");
        }
        try {
            long size = Files.size(file);
            if (size > config.fileBytesMax().asLongValue()) {
                throw new ProblemException(ErrorCode.IMPORT_FILE_TOO_LARGE, fileName + " has " + size
                        + " bytes; an import reads at most " + config.fileBytesMax().asLongValue());
            }
            try (RowSource source = format == ImportFormat.CSV ? new CsvRowSource(file, 0, 1) : new XlsxRowSource(file)) {
                imports.handler(kind).checkHeader(source.header());
            }
            return size;
        } catch (IOException e) {
            throw new ProblemException(ErrorCode.IMPORT_HEADER_INVALID, fileName + " cannot be read as " + format + ": "
                    + e.getMessage());
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            // A malformed workbook can break the reader in ways of its own: still the file's fault.
            throw new ProblemException(ErrorCode.IMPORT_HEADER_INVALID, fileName + " cannot be read as " + format + ": "
                    + e);
        }
    }

    /** Fails with IMPORT_NOT_FOUND. */
    public Uni<ImportJob> find(UUID jobId) {
        return repository.find(jobId).onItem().ifNull().failWith(() -> notFound(jobId)).map(ImportRepository.StoredJob::job);
    }

    public Uni<ImportJobPage> list(String cursor, String limit) {
        int size = Paging.pageSize(limit, config.pageSizeDefault(), ImportsConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(JOB_LIST, cursor);
        return repository.page(before, size).map(jobs -> new ImportJobPage(jobs.stream().map(ImportRepository.StoredJob::job).toList(),
                jobs.size() < size ? null : Paging.encodeCursor(JOB_LIST, jobs.get(jobs.size() - 1).sequence())));
    }

    /** The job's refused rows, in row order. Fails with IMPORT_NOT_FOUND. */
    public Uni<ImportRowErrorPage> errors(UUID jobId, String cursor, String limit) {
        int size = Paging.pageSize(limit, config.pageSizeDefault(), ImportsConfig.PAGE_SIZE_MAX);
        long after = Paging.decodeCursor(ERROR_LIST, cursor, 0);
        return find(jobId).chain(job -> repository.errors(jobId, after, size)).map(errors -> new ImportRowErrorPage(
                errors.stream().map(ImportRepository.StoredError::error).toList(),
                errors.size() < size ? null : Paging.encodeCursor(ERROR_LIST, errors.get(errors.size() - 1).sequence())));
    }

    /** The column names of the error report, its first line. */
    static final String REPORT_HEADER = "row,field,code,message\r\n";

    /**
     * The job's refused rows as CSV lines (row, field, code, message), a page at a time as they are
     * sent: a large report is never held whole. Fails with IMPORT_NOT_FOUND before the first line.
     */
    public Uni<Multi<String>> report(UUID jobId) {
        return find(jobId).map(job -> Multi.createBy().concatenating().streams(Multi.createFrom().item(REPORT_HEADER),
                Multi.createBy().repeating()
                        .uni(() -> new long[] {0}, after -> errorLines(jobId, after[0]).invoke(page -> after[0] = page.next()))
                        .whilst(page -> page.next() != 0)
                        .onItem().transformToIterable(CsvPage::lines)));
    }

    /** One page of the error report as CSV lines, and where the next begins (0: done). */
    record CsvPage(List<String> lines, long next) {
    }

    private Uni<CsvPage> errorLines(UUID jobId, long after) {
        return repository.errors(jobId, after, ImportsConfig.PAGE_SIZE_MAX).map(errors -> new CsvPage(
                errors.stream().map(stored -> csvLine(stored.error())).toList(),
                errors.size() < ImportsConfig.PAGE_SIZE_MAX ? 0 : errors.get(errors.size() - 1).sequence()));
    }

    private static String csvLine(ImportRowError error) {
        return error.row() + "," + csvField(error.field()) + "," + error.code() + "," + csvField(error.message()) + "\r\n";
    }

    private static String csvField(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private static ProblemException notFound(UUID jobId) {
        return new ProblemException(ErrorCode.IMPORT_NOT_FOUND, "No import " + jobId);
    }
}
