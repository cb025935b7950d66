package io.pointsledger.imports;

import io.pointsledger.members.ImportedMembers;
import io.pointsledger.members.MemberService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.List;

/**
 * Members, one a row, enrolled as POST /v1/members would (personal data encrypted while the chunk
 * is read), a chunk's members in the same transaction as its refused rows and the job's progress:
 * a restart never enrolls a row twice.
 */
@ApplicationScoped
class MemberImportHandler implements ImportHandler<ImportedMembers.Row, ImportedMembers> {

    private final MemberService members;
    private final ImportsConfig config;
    private final Validator validator;
    private final Pool pool;

    MemberImportHandler(MemberService members, ImportsConfig config, Validator validator, Pool pool) {
        this.members = members;
        this.config = config;
        this.validator = validator;
        this.pool = pool;
    }

    @Override
    public void checkHeader(List<String> header) {
        MemberColumns.of(header);
    }

    @Override
    public Rows<ImportedMembers.Row, ImportedMembers> rows(List<String> header, ImportJob job) {
        List<String> phoneCountryCodes = job.format() == ImportFormat.XLSX
                ? config.workbookPhoneCountryCodes().orElse(List.of()) : List.of();
        MemberRows memberRows = new MemberRows(MemberColumns.of(header), validator, job.channel(), phoneCountryCodes);
        return new Rows<>() {
            @Override
            public Parsed<ImportedMembers.Row> parse(long rowNumber, List<String> cells) {
                MemberRows.Parsed parsed = memberRows.parse(rowNumber, cells);
                return new Parsed<>(parsed.member(), parsed.errors());
            }

            @Override
            public ImportedMembers prepare(List<ImportedMembers.Row> valid) {
                return members.prepareImport(valid);
            }
        };
    }

    @Override
    public Uni<ImportRepository.StoredJob> apply(ImportJob job, ImportedMembers prepared, Progress progress) {
        return pool.withTransaction(transaction -> members.enrollImported(transaction, job.jobId(), job.channel(), prepared)
                .chain(results -> {
                    List<ImportRowError> errors = new ArrayList<>();
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
                    return progress.record(transaction, enrolled, existing, errors);
                }));
    }
}
