package io.pointsledger.imports;

import io.pointsledger.ledger.Balance;
import io.pointsledger.ledger.BatchingConfig;
import io.pointsledger.ledger.HistoricalEarn;
import io.pointsledger.ledger.LineItem;
import io.pointsledger.platform.ErrorCode;
import io.smallrye.mutiny.Multi;
import java.util.HashSet;
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
import java.time.Clock;
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
 * its earliest line) and counted, once each, toward tiers (those inside the qualifying window,
 * upgrading who now qualifies) and recommendations. A purchase's lines are consecutive rows, and a
 * chunk never splits them; its chunk's purchases, their effects and the job's progress commit in
 * one transaction, so a restart goes on after the last chunk with nothing half done. Asked to
 * post points, it also posts each purchase's earn, in the steps {@link #postingPoints} describes.
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
    private static final String MIGRATED_MESSAGE = "the member's opening balance came over already, with the points of "
            + "these purchases in it: import them without postPoints";
    /**
     * How far apart the times of one purchase's lines may be: a real shop's export stamps each line
     * as it was keyed, so an invoice keyed across a minute's turn has two times; a day apart is
     * another purchase under a reused order id.
     */
    static final Duration LINE_TIME_SPREAD_MAX = Duration.ofDays(1);
    /** A chunk PostgreSQL rolled back as a deadlock's victim (its counts race the live purchase events) is tried again. */
    private static final int TRANSACTION_ATTEMPTS_MAX = 5;
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(100);
    private static final Set<String> ROLLED_BACK_STATES = Set.of("40P01", "40001");

    private final MemberService members;
    private final PurchaseHistory history;
    private final TierService tiers;
    private final RecommendationService recommendations;
    private final LedgerService ledger;
    private final ProgramConfig program;
    private final Pool pool;
    private final int writesInFlight;
    private final Clock clock;

    PurchaseImportHandler(MemberService members, PurchaseHistory history, TierService tiers, RecommendationService recommendations,
            LedgerService ledger, ProgramConfig program, Pool pool, BatchingConfig batching, Clock clock) {
        this.members = members;
        this.history = history;
        this.tiers = tiers;
        this.recommendations = recommendations;
        this.ledger = ledger;
        this.program = program;
        this.pool = pool;
        this.writesInFlight = LedgerWrites.inFlight(batching);
        this.clock = clock;
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
                .chain(memberIds -> job.postPoints() ? postingPoints(job, prepared, memberIds, progress)
                        : inTransaction(transaction -> progress.holdLease(transaction)
                                .chain(() -> claim(transaction, job, prepared, memberIds, Set.of()))
                                .chain(claimed -> countAndRecord(transaction, claimed, claimed.purchases(), claimed.purchases(), List.of(),
                                        progress))))
                .call(applied -> cache(applied.upgraded()))
                .map(Applied::job);
    }

    private record Applied(ImportRepository.StoredJob job, List<Balance> upgraded) {
    }

    /**
     * The chunk's purchases this import brings in: new ones, or (posting points) ones it claimed
     * before a restart, or another posting import claimed and ended without posting ({@code resumed}:
     * their earns may have been posted); how many rows other imports brought before; the rows refused so far.
     */
    private record Claimed(List<HistoricalPurchase> purchases, Set<List<Object>> resumed, Map<List<Object>, Gathered> lines,
            long existingRows, List<ImportRowError> refused) {
    }

    /** A transaction, tried again when PostgreSQL rolled it back as a deadlock's victim. */
    private <T> Uni<T> inTransaction(java.util.function.Function<SqlClient, Uni<T>> work) {
        return Uni.createFrom().<T>deferred(() -> pool.withTransaction(work::apply))
                .onFailure(PurchaseImportHandler::rolledBack).retry().withBackOff(RETRY_BACKOFF).atMost(TRANSACTION_ATTEMPTS_MAX - 1L);
    }

    /**
     * Holds the members against erasure and offers their purchases to the history, claimed when
     * their points are to be posted. A purchase another import brought is existing; one this import
     * brought in an earlier chunk is a purchase whose lines were not consecutive, refused, unless
     * it is still claimed: then this chunk was cut short by a restart after the claim.
     */
    private Uni<Claimed> claim(SqlClient transaction, ImportJob job, Prepared prepared, Map<String, UUID> memberIds,
            Set<UUID> migrated) {
        List<ImportRowError> refused = new ArrayList<>(prepared.refused());
        return members.holdAgainstErasure(transaction, memberIds.values()).chain(held -> {
            List<HistoricalPurchase> offered = new ArrayList<>();
            Map<List<Object>, Gathered> byKey = new HashMap<>();
            for (Gathered purchase : prepared.purchases()) {
                UUID memberId = memberIds.get(purchase.externalId());
                if (memberId == null || !held.contains(memberId)) {
                    refuseLines(purchase, "externalId", BalanceRows.MEMBER_NOT_FOUND,
                            "no member has this externalId: import the members first", refused);
                } else if (migrated.contains(memberId)) {
                    refuseLines(purchase, "externalId", BalanceRows.ALREADY_MIGRATED, MIGRATED_MESSAGE, refused);
                } else {
                    HistoricalPurchase historical = purchase.of(memberId);
                    offered.add(historical);
                    byKey.put(key(historical), purchase);
                }
            }
            return history.record(transaction, job.jobId(), offered, job.postPoints())
                    .chain(recorded -> history.takeOver(transaction, job.jobId(), job.postPoints()
                                    ? recorded.stream().filter(PurchaseHistory.Recorded::claimAbandoned).toList() : List.of())
                            .map(takenOver -> claimed(job, offered, recorded, takenOver, byKey, refused)));
        });
    }

    private static Claimed claimed(ImportJob job, List<HistoricalPurchase> offered, List<PurchaseHistory.Recorded> recorded,
            Set<List<Object>> takenOver, Map<List<Object>, Gathered> byKey, List<ImportRowError> refused) {
        Set<List<Object>> taken = new HashSet<>();
        Set<List<Object>> resumed = new HashSet<>();
        long existing = 0;
        for (PurchaseHistory.Recorded one : recorded) {
            List<Object> key = List.of(one.memberId(), one.orderId());
            Gathered purchase = byKey.get(key);
            if (one.inserted()) {
                taken.add(key);
            } else if (takenOver.contains(key)) {
                taken.add(key);
                resumed.add(key);
            } else if (!job.jobId().equals(one.importJobId())) {
                existing += purchase.lines().size();
            } else if (one.postingPending()) {
                taken.add(key);
                resumed.add(key);
            } else {
                purchase.lines().forEach(line -> refused.add(notConsecutive(line.rowNumber(), one.firstRow())));
            }
        }
        List<HistoricalPurchase> purchases = offered.stream().filter(purchase -> taken.contains(key(purchase))).toList();
        return new Claimed(purchases, resumed, byKey, existing, refused);
    }

    /**
     * Counts the purchases that posted no points toward recommendations and tiers (posted ones
     * count through their earn's event), ends the claims, and records the chunk's progress. Tiers
     * last: an upgrade locks the member's account, which the write path waits for until commit.
     */
    private Uni<Applied> countAndRecord(SqlClient transaction, Claimed claimed, List<HistoricalPurchase> accepted,
            List<HistoricalPurchase> unposted, List<PurchaseHistory.Settled> settled, Progress progress) {
        long acceptedRows = accepted.stream().mapToLong(purchase -> claimed.lines().get(key(purchase)).lines().size()).sum();
        return history.settle(transaction, settled)
                .chain(() -> recommendations.countHistory(transaction, unposted))
                .chain(() -> tiers.recordHistory(transaction, unposted))
                .chain(upgraded -> progress.record(transaction, acceptedRows, claimed.existingRows(), claimed.refused())
                        .map(stored -> new Applied(stored, upgraded)));
    }

    /**
     * Posting points: claims the purchases (one transaction, the job's row locked, so that an
     * instance whose job was taken over claims nothing), posts an earn for each that earns points
     * still valid now (each under its purchase's own key, so a repeat replays it), then ends the claims
     * with the earns and records the progress (another transaction). A claim found after a restart
     * first looks for the earn posted for it before: a key's stored answer is purged after a day,
     * the transfer keeps its key for good. The write path refuses an earn for a member with an
     * opening balance, under the member's lock; members known to have one are refused here first.
     */
    private Uni<Applied> postingPoints(ImportJob job, Prepared prepared, Map<String, UUID> memberIds, Progress progress) {
        return ledger.migrations(List.copyOf(memberIds.values()))
                .chain(migrations -> inTransaction(transaction -> progress.holdLease(transaction)
                        .chain(() -> claim(transaction, job, prepared, memberIds, migrations.keySet()))))
                .chain(claimed -> postedBefore(claimed).chain(before -> Multi.createFrom().iterable(claimed.purchases())
                        .onItem().transformToUni(purchase -> post(purchase, before.get(key(purchase)))).merge(writesInFlight)
                        .collect().asList()
                        .chain(posted -> settleAndRecord(claimed, posted, progress))));
    }

    /** How a claimed purchase's posting went: its earn (null: none due), or why its lines are refused. */
    private record PostedEarn(HistoricalPurchase purchase, UUID transferId, ImportRowError refusal) {

        static PostedEarn refused(HistoricalPurchase purchase, String field, String code, String message) {
            return new PostedEarn(purchase, null, new ImportRowError(0, field, code, message));
        }
    }

    private Uni<Map<List<Object>, UUID>> postedBefore(Claimed claimed) {
        List<HistoricalPurchase> resumed = claimed.purchases().stream().filter(purchase -> claimed.resumed().contains(key(purchase)))
                .toList();
        return ledger.operatorTransfersWrittenUnder(resumed.stream().map(HistoricalPurchase::memberId).toList(),
                resumed.stream().map(purchase -> HistoricalEarn.key(purchase.purchaseId())).toList())
                .map(written -> {
                    Map<List<Object>, UUID> byPurchase = new HashMap<>();
                    resumed.forEach(purchase -> {
                        UUID transferId = written.get(List.of(purchase.memberId(), HistoricalEarn.key(purchase.purchaseId())));
                        if (transferId != null) {
                            byPurchase.put(key(purchase), transferId);
                        }
                    });
                    return byPurchase;
                });
    }

    /**
     * The purchase's earn: the one posted before a restart, if any; none when it earns less than a
     * point or its points have expired by now; else a new one.
     */
    private Uni<PostedEarn> post(HistoricalPurchase purchase, UUID postedBefore) {
        if (postedBefore != null) {
            return Uni.createFrom().item(new PostedEarn(purchase, postedBefore, null));
        }
        long points = ledger.historicalPoints(purchase.amount());
        if (points > ApiLimits.TRANSFER_POINTS_MAX) {
            return Uni.createFrom().item(PostedEarn.refused(purchase, "amount", PurchaseRows.OUT_OF_RANGE,
                    "earns more than " + ApiLimits.TRANSFER_POINTS_MAX + " points"));
        }
        if (points <= 0 || !ledger.historicalLotExpiry(purchase.occurredAt()).isAfter(OffsetDateTime.now(clock))) {
            return Uni.createFrom().item(new PostedEarn(purchase, null, null));
        }
        HistoricalEarn earn = new HistoricalEarn(purchase.orderId(), purchase.amount(), purchase.channel(), lineItems(purchase),
                purchase.occurredAt(), points);
        return LedgerWrites.retriedWhileBusy(() -> ledger.earnFromHistory(purchase.memberId(), purchase.purchaseId(), earn))
                .map(posted -> new PostedEarn(purchase, posted.receipt().transactionId(), null))
                .onFailure(failure -> LedgerWrites.refusal(failure) == ErrorCode.MEMBER_ALREADY_MIGRATED)
                .recoverWithItem(() -> PostedEarn.refused(purchase, "externalId", BalanceRows.ALREADY_MIGRATED, MIGRATED_MESSAGE))
                .onFailure(failure -> LedgerWrites.refusal(failure) == ErrorCode.IDEMPOTENCY_KEY_REUSED)
                .recoverWithUni(() -> changedSincePosted(purchase));
    }

    /**
     * A purchase whose key holds an earn posted for it with other content (its file changed since):
     * its lines are refused, and its claim is settled with that earn, which stands.
     */
    private Uni<PostedEarn> changedSincePosted(HistoricalPurchase purchase) {
        String earnKey = HistoricalEarn.key(purchase.purchaseId());
        return ledger.operatorTransfersWrittenUnder(List.of(purchase.memberId()), List.of(earnKey))
                .map(written -> new PostedEarn(purchase, written.get(List.of(purchase.memberId(), earnKey)), new ImportRowError(0,
                        "row", BalanceRows.CHANGED, "differs from what was posted for this purchase before: the file changed "
                                + "while it was imported")));
    }

    /**
     * Ends the claims and records the progress, the members held against erasure again: a purchase
     * of a member erased since its claim (the erasure deleted the claim) is not counted toward
     * tiers or recommendations; its earn, if posted, stays with the account, as every transfer does.
     */
    private Uni<Applied> settleAndRecord(Claimed claimed, List<PostedEarn> posted, Progress progress) {
        List<ImportRowError> refused = new ArrayList<>(claimed.refused());
        posted.stream().filter(earn -> earn.refusal() != null).forEach(earn -> claimed.lines().get(key(earn.purchase())).lines()
                .forEach(line -> refused.add(new ImportRowError(line.rowNumber(), earn.refusal().field(), earn.refusal().code(),
                        earn.refusal().message()))));
        Claimed settledClaim = new Claimed(claimed.purchases(), claimed.resumed(), claimed.lines(), claimed.existingRows(), refused);
        // A purchase refused with no earn posted for it was never brought over: its claim goes.
        List<PurchaseHistory.Settled> settled = posted.stream().filter(earn -> earn.refusal() == null || earn.transferId() != null)
                .map(earn -> new PurchaseHistory.Settled(earn.purchase().memberId(), earn.purchase().orderId(), earn.transferId()))
                .toList();
        List<PurchaseHistory.Settled> withdrawn = posted.stream().filter(earn -> earn.refusal() != null && earn.transferId() == null)
                .map(earn -> new PurchaseHistory.Settled(earn.purchase().memberId(), earn.purchase().orderId(), null)).toList();
        List<UUID> memberIds = posted.stream().map(earn -> earn.purchase().memberId()).distinct().toList();
        return inTransaction(transaction -> members.holdAgainstErasure(transaction, memberIds)
                .call(() -> history.unclaim(transaction, withdrawn)).chain(held -> {
            List<HistoricalPurchase> unposted = posted.stream()
                    .filter(earn -> earn.transferId() == null && earn.refusal() == null && held.contains(earn.purchase().memberId()))
                    .map(PostedEarn::purchase).toList();
            List<HistoricalPurchase> accepted = posted.stream().filter(earn -> earn.refusal() == null).map(PostedEarn::purchase).toList();
            return countAndRecord(transaction, settledClaim, accepted, unposted, settled, progress);
        }));
    }

    /** The earn's items: a line given by its amount alone is priced at its amount over its quantity. */
    private static List<LineItem> lineItems(HistoricalPurchase purchase) {
        return purchase.lines().stream().map(line -> new LineItem(line.sku(), line.category(), (int) line.quantity(),
                line.unitPrice() != null ? line.unitPrice() : line.amount() / line.quantity())).toList();
    }

    private static List<Object> key(HistoricalPurchase purchase) {
        return List.of(purchase.memberId(), purchase.orderId());
    }

    private static void refuseLines(Gathered purchase, String field, String code, String message, List<ImportRowError> refused) {
        purchase.lines().forEach(line -> refused.add(new ImportRowError(line.rowNumber(), field, code, message)));
    }

    /** Caches the balances whose tier changed, once committed, one after another. */
    private Uni<Void> cache(List<Balance> upgraded) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Balance balance : upgraded) {
            chain = chain.chain(() -> ledger.cacheAfterCommit(balance));
        }
        return chain;
    }

    private static boolean rolledBack(Throwable failure) {
        return failure instanceof PgException pg && ROLLED_BACK_STATES.contains(pg.getSqlState());
    }
}
