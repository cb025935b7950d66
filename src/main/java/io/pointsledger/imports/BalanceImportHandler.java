package io.pointsledger.imports;

import io.pointsledger.ledger.LedgerService;
import io.pointsledger.ledger.MigrationRequest;
import io.pointsledger.members.MemberService;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.program.ProgramConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
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

    /** Writes of one chunk waiting in the write path at once: a few group commits' worth, well under its queue. */
    private static final int WRITES_IN_FLIGHT = 128;
    private static final String KEY_PREFIX = "import:";

    private final LedgerService ledger;
    private final MemberService members;
    private final ProgramConfig program;
    private final Clock clock;
    private final Pool pool;

    BalanceImportHandler(LedgerService ledger, MemberService members, ProgramConfig program, Clock clock, Pool pool) {
        this.ledger = ledger;
        this.members = members;
        this.program = program;
        this.clock = clock;
        this.pool = pool;
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
        BalanceRows balanceRows = new BalanceRows(BalanceColumns.of(header), program.timeZone(), clock.instant());
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
                    .onItem().transformToUni(posting -> post(job, posting)).merge(WRITES_IN_FLIGHT)
                    .collect().asList()
                    .chain(posted -> count(job, posted, refused))
                    .chain(counts -> pool.withTransaction(transaction -> progress.record(transaction, counts[0], counts[1], refused)));
        });
    }

    private record Posting(BalanceRows.Balance balance, UUID memberId) {
    }

    private record Posted(Posting posting, boolean migratedBefore) {
    }

    /** Posts one opening balance: written (or replayed), or found there already. Any other failure fails the chunk. */
    private Uni<Posted> post(ImportJob job, Posting posting) {
        BalanceRows.Balance balance = posting.balance();
        MigrationRequest request = new MigrationRequest(balance.points(), balance.expiresAt(), balance.reference(),
                "Opening balance, import " + job.jobId() + " row " + balance.rowNumber());
        return ledger.migrate(Caller.OPERATOR, posting.memberId(), key(job, balance.rowNumber()), request)
                .map(written -> new Posted(posting, false))
                .onFailure(failure -> failure instanceof ProblemException problem && problem.code() == ErrorCode.MEMBER_ALREADY_MIGRATED)
                .recoverWithItem(() -> new Posted(posting, true));
    }

    /**
     * Accepted and existing rows; a member migrated before is this file's repeat (refused, naming
     * the first row), this very row written before a restart (accepted), or another import's (existing).
     */
    private Uni<long[]> count(ImportJob job, List<Posted> posted, List<ImportRowError> refused) {
        List<UUID> migratedBefore = posted.stream().filter(Posted::migratedBefore).map(one -> one.posting().memberId()).toList();
        return ledger.migrationKeys(migratedBefore).map(keys -> {
            long accepted = 0;
            long existing = 0;
            String thisJob = KEY_PREFIX + job.jobId() + ":";
            for (Posted one : posted) {
                long row = one.posting().balance().rowNumber();
                String key = one.migratedBefore() ? keys.get(one.posting().memberId()) : null;
                if (!one.migratedBefore() || key != null && key.equals(thisJob + row)) {
                    accepted++;
                } else if (key != null && key.startsWith(thisJob)) {
                    refused.add(duplicate(row, Long.parseLong(key.substring(thisJob.length()))));
                } else {
                    existing++;
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
