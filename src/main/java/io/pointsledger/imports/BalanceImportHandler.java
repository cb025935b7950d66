package io.pointsledger.imports;

import io.pointsledger.ledger.BatchingConfig;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.ledger.MigrationRequest;
import io.pointsledger.members.MemberService;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.program.ProgramConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Opening balances from the loyalty system the program replaces: one MIGRATION transfer per
 * member, through the ledger's one write path (group commit, the member's lock, lots, events),
 * never around it. The members must be imported first; their external ids name them.
 *
 * <p>A chunk is posted, then its progress recorded: a restart posts the chunk again, which
 * changes nothing. Each row's write carries the key {@code import:<job>:<row>}, so a repeat is a
 * replay of that write, and the ledger takes at most one opening balance per member whatever the
 * key: a member whose balance another import brought over is {@code rowsExisting}, a second row of
 * this file for the same member is refused as DUPLICATE_IN_FILE, naming the first.
 */
@ApplicationScoped
class BalanceImportHandler implements ImportHandler<BalanceRows.Balance, BalanceImportHandler.Prepared> {

    private static final String KEY_PREFIX = "import:";

    private final LedgerService ledger;
    private final MemberService members;
    private final ProgramConfig program;
    private final Pool pool;
    private final int writesInFlight;

    BalanceImportHandler(LedgerService ledger, MemberService members, ProgramConfig program, Pool pool, BatchingConfig batching) {
        this.ledger = ledger;
        this.members = members;
        this.program = program;
        this.pool = pool;
        this.writesInFlight = LedgerWrites.inFlight(batching);
    }

    /** A chunk's balances, each external id once (in file order), and the rows that repeated one. */
    record Prepared(List<BalanceRows.Balance> balances, List<ImportRowError> repeated) {
    }

    @Override
    public void checkHeader(List<String> header) {
        BalanceColumns.of(header);
    }

    @Override
    public Rows<BalanceRows.Balance, Prepared> rows(List<String> header, ImportJob job) {
        BalanceRows balanceRows = new BalanceRows(BalanceColumns.of(header), program.timeZone(), job.createdAt().toInstant());
        return new Rows<>() {
            @Override
            public Parsed<BalanceRows.Balance> parse(long rowNumber, List<String> cells) {
                BalanceRows.Parsed parsed = balanceRows.parse(rowNumber, cells);
                return new Parsed<>(parsed.balance(), parsed.errors());
            }

            @Override
            public Prepared prepare(List<BalanceRows.Balance> valid) {
                return firstOfEach(valid);
            }
        };
    }

    private static Prepared firstOfEach(List<BalanceRows.Balance> valid) {
        Map<String, Long> firstRows = new HashMap<>();
        List<BalanceRows.Balance> balances = new ArrayList<>();
        List<ImportRowError> repeated = new ArrayList<>();
        for (BalanceRows.Balance balance : valid) {
            Long first = firstRows.putIfAbsent(balance.externalId(), balance.rowNumber());
            if (first == null) {
                balances.add(balance);
            } else {
                repeated.add(duplicate(balance.rowNumber(), first));
            }
        }
        return new Prepared(balances, repeated);
    }

    @Override
    public Uni<ImportRepository.StoredJob> apply(ImportJob job, Prepared prepared, Progress progress) {
        List<String> externalIds = prepared.balances().stream().map(BalanceRows.Balance::externalId).toList();
        return members.membersByExternalId(externalIds).chain(memberIds -> {
            List<ImportRowError> refused = new ArrayList<>(prepared.repeated());
            List<Posting> postings = new ArrayList<>();
            for (BalanceRows.Balance balance : prepared.balances()) {
                UUID memberId = memberIds.get(balance.externalId());
                if (memberId == null) {
                    refused.add(new ImportRowError(balance.rowNumber(), "externalId", BalanceRows.MEMBER_NOT_FOUND,
                            "no member has this externalId: import the members first"));
                } else {
                    postings.add(new Posting(balance, memberId));
                }
            }
            return Multi.createFrom().iterable(postings)
                    .onItem().transformToUni(posting -> post(job, posting)).merge(writesInFlight)
                    .collect().asList()
                    .chain(posted -> count(job, posted, refused))
                    .chain(counts -> pool.withTransaction(transaction -> progress.record(transaction, counts[0], counts[1], refused)));
        });
    }

    private record Posting(BalanceRows.Balance balance, UUID memberId) {
    }

    /** How a row's write went: written (or replayed), the member migrated before, or refused for the row's own sake. */
    private enum Written { WRITTEN, MIGRATED_BEFORE, CHANGED }

    private record Posted(Posting posting, Written written) {
    }

    /**
     * Posts one opening balance. A 503 is tried again (same key: at most once applied); a key this
     * import wrote with another request means the file changed under a resumed import, refused
     * for that row. Any other failure fails the chunk, which is read again after the job's lease.
     */
    private Uni<Posted> post(ImportJob job, Posting posting) {
        BalanceRows.Balance balance = posting.balance();
        MigrationRequest request = new MigrationRequest(balance.points(), balance.expiresAt(), balance.reference(),
                "Opening balance, import " + job.jobId() + " row " + balance.rowNumber());
        String key = key(job, balance.rowNumber());
        return LedgerWrites.retriedWhileBusy(() -> ledger.migrate(Caller.OPERATOR, posting.memberId(), key, request))
                .map(written -> new Posted(posting, Written.WRITTEN))
                .onFailure(failure -> LedgerWrites.refusal(failure) == ErrorCode.MEMBER_ALREADY_MIGRATED)
                .recoverWithItem(() -> new Posted(posting, Written.MIGRATED_BEFORE))
                .onFailure(failure -> LedgerWrites.refusal(failure) == ErrorCode.IDEMPOTENCY_KEY_REUSED)
                .recoverWithItem(() -> new Posted(posting, Written.CHANGED));
    }

    /**
     * Accepted and existing rows. A member migrated before is: this very row, written before a
     * restart (accepted); this file's repeat (refused, naming the first row); another import's
     * with the same points (existing: running a file again changes nothing), or with other points
     * (refused: an adjustment corrects a balance, a second import does not).
     */
    private Uni<long[]> count(ImportJob job, List<Posted> posted, List<ImportRowError> refused) {
        List<UUID> migratedBefore = posted.stream().filter(one -> one.written() == Written.MIGRATED_BEFORE)
                .map(one -> one.posting().memberId()).toList();
        return ledger.migrations(migratedBefore).map(migrations -> {
            long accepted = 0;
            long existing = 0;
            String thisJob = KEY_PREFIX + job.jobId() + ":";
            for (Posted one : posted) {
                BalanceRows.Balance balance = one.posting().balance();
                LedgerService.Migration before = migrations.get(one.posting().memberId());
                String key = before == null || before.idempotencyKey() == null ? "" : before.idempotencyKey();
                if (one.written() == Written.CHANGED) {
                    refused.add(new ImportRowError(balance.rowNumber(), "row", BalanceRows.CHANGED,
                            "differs from what this import wrote for it before a restart: the file changed while it ran"));
                } else if (one.written() == Written.WRITTEN || key.equals(thisJob + balance.rowNumber())) {
                    accepted++;
                } else if (key.startsWith(thisJob)) {
                    refused.add(duplicate(balance.rowNumber(), Long.parseLong(key.substring(thisJob.length()))));
                } else if (before != null && before.points() == balance.points()) {
                    existing++;
                } else {
                    refused.add(new ImportRowError(balance.rowNumber(), "points", BalanceRows.ALREADY_MIGRATED, before == null
                            ? "the points of the member's past purchases were posted by a purchase history import: an opening "
                                    + "balance would count them twice"
                            : "the member's opening balance was brought over already, with " + before.points()
                                    + " points: an adjustment corrects it, not another import"));
                }
            }
            return new long[] {accepted, existing};
        });
    }

    private static String key(ImportJob job, long row) {
        return KEY_PREFIX + job.jobId() + ":" + row;
    }

    private static ImportRowError duplicate(long row, long firstRow) {
        return new ImportRowError(row, "externalId", ImportRowError.DUPLICATE_IN_FILE, "repeats the externalId of row " + firstRow);
    }
}
