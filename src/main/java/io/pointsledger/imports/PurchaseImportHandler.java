package io.pointsledger.imports;

import io.pointsledger.ledger.Balance;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.members.MemberService;
import io.pointsledger.platform.ApiLimits;
import io.pointsledger.program.ProgramConfig;
import io.pointsledger.purchases.HistoricalPurchase;
import io.pointsledger.purchases.PurchaseHistory;
import io.pointsledger.recommendations.RecommendationService;
import io.pointsledger.tiers.TierService;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Purchases from before the program, a row per line: kept in the purchase history (at the time of
 * its earliest line) and counted,
 * once each, toward tiers (those inside the qualifying window, upgrading who now qualifies) and
 * recommendations, never posting points. A purchase's lines are consecutive rows, and a chunk
 * never splits them; its chunk's purchases, their effects and the job's progress commit in one
 * transaction, so a restart goes on after the last chunk with nothing half done.
 *
 * <p>A purchase is its member's and order id's: one another import brought over is left as it
 * is ({@code rowsExisting}), so a file run again changes nothing.
 */
@ApplicationScoped
class PurchaseImportHandler implements ImportHandler<PurchaseRows.Line, PurchaseImportHandler.Prepared> {

    /** Lines of one purchase: a wholesale invoice may have hundreds; more is a file that never starts a new order. */
    static final int LINES_PER_PURCHASE_MAX = 1000;
    static final String NOT_CONSECUTIVE = "NOT_CONSECUTIVE";
    static final String INCONSISTENT = "INCONSISTENT";
    static final String TOO_MANY_LINES = "TOO_MANY_LINES";
    /**
     * How far apart the times of one purchase's lines may be: a real shop's export stamps each line
     * as it was keyed, so an invoice keyed across a minute's turn has two times; a day apart is
     * another purchase under a reused order id.
     */
    static final Duration LINE_TIME_SPREAD_MAX = Duration.ofDays(1);
    /** A chunk PostgreSQL rolled back as a deadlock's victim (its counts race the live purchase events) is tried again. */
    private static final int TRANSACTION_ATTEMPTS_MAX = 3;
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(100);
    private static final Set<String> ROLLED_BACK_STATES = Set.of("40P01", "40001");

    private final MemberService members;
    private final PurchaseHistory history;
    private final TierService tiers;
    private final RecommendationService recommendations;
    private final LedgerService ledger;
    private final ProgramConfig program;
    private final Pool pool;

    PurchaseImportHandler(MemberService members, PurchaseHistory history, TierService tiers, RecommendationService recommendations,
            LedgerService ledger, ProgramConfig program, Pool pool) {
        this.members = members;
        this.history = history;
        this.tiers = tiers;
        this.recommendations = recommendations;
        this.ledger = ledger;
        this.program = program;
        this.pool = pool;
    }

    /** A chunk's purchases, their lines gathered in file order, and the lines refused while gathering them. */
    record Prepared(List<Gathered> purchases, List<ImportRowError> refused) {
    }

    /** One purchase's lines, as the file gives them. */
    static final class Gathered {
        private final PurchaseRows.Line first;
        private final List<PurchaseRows.Line> lines = new ArrayList<>();
        private long amount;
        private OffsetDateTime earliest;

        Gathered(PurchaseRows.Line first) {
            this.first = first;
            add(first);
        }

        private void add(PurchaseRows.Line line) {
            lines.add(line);
            amount += line.amount();
            earliest = earliest == null || line.occurredAt().isBefore(earliest) ? line.occurredAt() : earliest;
        }

        /** Why {@code line} cannot join this purchase, or null when it did. */
        private ImportRowError join(PurchaseRows.Line line) {
            long row = line.rowNumber();
            if (Duration.between(first.occurredAt(), line.occurredAt()).abs().compareTo(LINE_TIME_SPREAD_MAX) > 0) {
                return new ImportRowError(row, "occurredAt", INCONSISTENT, "is more than a day from row " + first.rowNumber()
                        + ", the first line of this purchase");
            }
            if (!Objects.equals(line.channel(), first.channel())) {
                return new ImportRowError(row, "channel", INCONSISTENT, "differs from row " + first.rowNumber()
                        + ", the first line of this purchase");
            }
            if (lines.size() >= LINES_PER_PURCHASE_MAX) {
                return new ImportRowError(row, "orderId", TOO_MANY_LINES, "a purchase has at most " + LINES_PER_PURCHASE_MAX + " lines");
            }
            if (amount + line.amount() > ApiLimits.AMOUNT_MINOR_UNITS_MAX) {
                return new ImportRowError(row, "amount", PurchaseRows.OUT_OF_RANGE, "takes the purchase's total above "
                        + ApiLimits.AMOUNT_MINOR_UNITS_MAX);
            }
            add(line);
            return null;
        }

        String externalId() {
            return first.externalId();
        }

        List<PurchaseRows.Line> lines() {
            return lines;
        }

        HistoricalPurchase of(UUID memberId) {
            List<HistoricalPurchase.Line> products = lines.stream().filter(line -> line.sku() != null)
                    .map(line -> new HistoricalPurchase.Line(line.sku(), line.category(), line.quantity(), line.unitPrice(), line.amount()))
                    .toList();
            return new HistoricalPurchase(memberId, first.orderId(), earliest, amount, first.channel(), products, first.rowNumber());
        }
    }

    @Override
    public void checkHeader(List<String> header) {
        PurchaseColumns.of(header);
    }

    @Override
    public Rows<PurchaseRows.Line, Prepared> rows(List<String> header, ImportJob job) {
        PurchaseRows purchaseRows = new PurchaseRows(PurchaseColumns.of(header), program.timeZone(), job.createdAt().toInstant());
        return new Rows<>() {
            @Override
            public Parsed<PurchaseRows.Line> parse(long rowNumber, List<String> cells) {
                PurchaseRows.Parsed parsed = purchaseRows.parse(rowNumber, cells);
                return new Parsed<>(parsed.line(), parsed.errors());
            }

            @Override
            public Prepared prepare(List<PurchaseRows.Line> valid) {
                return gather(valid);
            }

            @Override
            public Object group(List<String> cells) {
                return purchaseRows.purchaseKey(cells);
            }

            @Override
            public int groupRowsMax() {
                return LINES_PER_PURCHASE_MAX;
            }
        };
    }

    /** Consecutive lines of one member's order make one purchase; a line of an order seen before, after another, is refused. */
    static Prepared gather(List<PurchaseRows.Line> valid) {
        Map<List<String>, Gathered> purchases = new LinkedHashMap<>();
        List<ImportRowError> refused = new ArrayList<>();
        Gathered current = null;
        for (PurchaseRows.Line line : valid) {
            Gathered seen = purchases.get(line.purchaseKey());
            if (seen == null) {
                current = new Gathered(line);
                purchases.put(line.purchaseKey(), current);
            } else if (seen != current) {
                refused.add(notConsecutive(line.rowNumber(), seen.lines().get(0).rowNumber()));
            } else {
                ImportRowError refusal = current.join(line);
                if (refusal != null) {
                    refused.add(refusal);
                }
            }
        }
        return new Prepared(List.copyOf(purchases.values()), refused);
    }

    private static ImportRowError notConsecutive(long row, long firstRow) {
        return new ImportRowError(row, "orderId", NOT_CONSECUTIVE, "the lines of a purchase must be consecutive rows: "
                + "this member's order began at row " + firstRow);
    }

    @Override
    public Uni<ImportRepository.StoredJob> apply(ImportJob job, Prepared prepared, Progress progress) {
        List<String> externalIds = prepared.purchases().stream().map(Gathered::externalId).distinct().toList();
        return members.membersByExternalId(externalIds)
                .chain(memberIds -> Uni.createFrom().deferred(() -> pool.withTransaction(transaction ->
                                record(transaction, job, prepared, memberIds, progress)))
                        .onFailure(PurchaseImportHandler::rolledBack).retry()
                        .withBackOff(RETRY_BACKOFF).atMost(TRANSACTION_ATTEMPTS_MAX - 1L))
                .call(applied -> cache(applied.upgraded()))
                .map(Applied::job);
    }

    /** Caches the balances whose tier changed, once committed, one after another. */
    private Uni<Void> cache(List<Balance> upgraded) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Balance balance : upgraded) {
            chain = chain.chain(() -> ledger.cacheAfterCommit(balance));
        }
        return chain;
    }

    private record Applied(ImportRepository.StoredJob job, List<Balance> upgraded) {
    }

    /**
     * In one transaction: holds the members against erasure, records the purchases not recorded
     * before, counts those toward tiers and recommendations, and records the chunk's progress.
     */
    private Uni<Applied> record(SqlClient transaction, ImportJob job, Prepared prepared, Map<String, UUID> memberIds,
            Progress progress) {
        List<ImportRowError> refused = new ArrayList<>(prepared.refused());
        return members.holdAgainstErasure(transaction, memberIds.values()).chain(held -> {
            List<HistoricalPurchase> offered = new ArrayList<>();
            Map<List<Object>, Gathered> byKey = new HashMap<>();
            for (Gathered purchase : prepared.purchases()) {
                UUID memberId = memberIds.get(purchase.externalId());
                if (memberId == null || !held.contains(memberId)) {
                    purchase.lines().forEach(line -> refused.add(new ImportRowError(line.rowNumber(), "externalId",
                            BalanceRows.MEMBER_NOT_FOUND, "no member has this externalId: import the members first")));
                } else {
                    HistoricalPurchase historical = purchase.of(memberId);
                    offered.add(historical);
                    byKey.put(List.of(memberId, historical.orderId()), purchase);
                }
            }
            return history.record(transaction, job.jobId(), offered).chain(recorded -> {
                long[] counts = classify(job, recorded, byKey, refused);
                List<HistoricalPurchase> inserted = insertedInFileOrder(offered, recorded);
                return tiers.recordHistory(transaction, inserted)
                        .call(() -> recommendations.countHistory(transaction, inserted))
                        .chain(upgraded -> progress.record(transaction, counts[0], counts[1], refused)
                                .map(stored -> new Applied(stored, upgraded)));
            });
        });
    }

    /**
     * Accepted and existing rows: a purchase inserted now is its lines accepted; one another import
     * brought is existing; one this import brought from an earlier chunk is a purchase whose lines
     * were not consecutive, refused.
     */
    private static long[] classify(ImportJob job, List<PurchaseHistory.Recorded> recorded, Map<List<Object>, Gathered> byKey,
            List<ImportRowError> refused) {
        long accepted = 0;
        long existing = 0;
        for (PurchaseHistory.Recorded one : recorded) {
            Gathered purchase = byKey.get(List.of(one.memberId(), one.orderId()));
            if (one.inserted()) {
                accepted += purchase.lines().size();
            } else if (job.jobId().equals(one.importJobId())) {
                purchase.lines().forEach(line -> refused.add(notConsecutive(line.rowNumber(), one.firstRow())));
            } else {
                existing += purchase.lines().size();
            }
        }
        return new long[] {accepted, existing};
    }

    private static List<HistoricalPurchase> insertedInFileOrder(List<HistoricalPurchase> offered, List<PurchaseHistory.Recorded> recorded) {
        Set<List<Object>> inserted = new java.util.HashSet<>();
        recorded.stream().filter(PurchaseHistory.Recorded::inserted).forEach(one -> inserted.add(List.of(one.memberId(), one.orderId())));
        return offered.stream().filter(purchase -> inserted.contains(List.of(purchase.memberId(), purchase.orderId()))).toList();
    }

    private static boolean rolledBack(Throwable failure) {
        return failure instanceof PgException pg && ROLLED_BACK_STATES.contains(pg.getSqlState());
    }
}
