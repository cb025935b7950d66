package io.pointsledger.tiers;

import io.pointsledger.ledger.Balance;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.ledger.Purchase;
import io.pointsledger.ledger.TransferKind;
import io.pointsledger.purchases.HistoricalPurchase;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.UUID;

/**
 * Tiers from rolling qualifying spend: an upgrade as soon as the purchase event is processed, a
 * downgrade only at the periodic review. Every step is idempotent, so a redelivered event
 * changes nothing.
 */
@ApplicationScoped
public class TierService {

    private static final int UPGRADE = 1;
    private static final int DOWNGRADE = -1;
    private static final String QUALIFIED = "qualifying spend reached";

    private final TierRepository repository;
    private final LedgerService ledger;
    private final TiersConfig config;
    private final Clock clock;

    TierService(TierRepository repository, LedgerService ledger, TiersConfig config, Clock clock) {
        this.repository = repository;
        this.ledger = ledger;
        this.config = config;
        this.clock = clock;
    }

    /** Applies one ledger event (the JSON documented in docs/events.md). */
    public Uni<Void> apply(JsonObject event) {
        return recorded(List.of(event)).flatMap(this::applyInOrder);
    }

    /**
     * Applies a batch of ledger events with the effect of {@link #apply} on each in turn. The
     * purchases of members without a reversal in the batch are recorded in one statement and one
     * commit, then each of those members whose spend now reaches a higher tier is upgraded (rare,
     * one transaction each; checked for every such member, not only those whose purchases were
     * new, so that a redelivered batch finishes an upgrade a crash interrupted). A member with a
     * reversal in the batch has all their events applied one by one, in order, since an upgrade
     * must not see a purchase the reversal after it takes back.
     */
    public Uni<Void> applyAll(List<JsonObject> events) {
        return recorded(events).flatMap(this::applyBatch);
    }

    private Uni<Void> applyBatch(List<Purchase> recorded) {
        Set<UUID> reversing = recorded.stream().filter(purchase -> !purchase.isEarn())
                .map(Purchase::memberId).collect(Collectors.toSet());
        List<Purchase> purchases = recorded.stream()
                .filter(purchase -> purchase.isEarn() && !reversing.contains(purchase.memberId())).toList();
        List<UUID> purchasers = purchases.stream().map(Purchase::memberId).distinct().toList();
        List<Purchase> oneByOne = recorded.stream().filter(purchase -> reversing.contains(purchase.memberId())).toList();
        return repository.pool().withTransaction(transaction -> repository.recordPurchases(transaction, purchases)
                        .flatMap(ignored -> repository.standings(transaction, purchasers, windowStart())))
                .flatMap(this::upgradeWhereQualified)
                .flatMap(ignored -> applyInOrder(oneByOne));
    }

    /**
     * The ledger's own record of each earn and reversal the events name, in event order. An event
     * says only which transfer: the amount, points, member and time come from the ledger, so that
     * whoever can write to the topic cannot raise a tier. An event naming an earn or reversal the
     * ledger does not have fails as malformed (not retried), which sends it to the dead letters.
     */
    private Uni<List<Purchase>> recorded(List<JsonObject> events) {
        List<UUID> named = events.stream().filter(TierService::namesPurchaseOrReversal)
                .map(event -> UUID.fromString(event.getString("transferId"))).toList();
        return ledger.purchases(named).map(found -> inEventOrder(named, found));
    }

    private static List<Purchase> inEventOrder(List<UUID> named, List<Purchase> found) {
        Map<UUID, Purchase> byTransfer = found.stream().collect(Collectors.toMap(Purchase::transferId, Function.identity()));
        return named.stream().map(transferId -> {
            Purchase purchase = byTransfer.get(transferId);
            if (purchase == null) {
                throw new IllegalArgumentException("The ledger has no earn or reversal " + transferId + " as this event claims");
            }
            return purchase;
        }).toList();
    }

    private static boolean namesPurchaseOrReversal(JsonObject event) {
        String kind = event.getString("kind");
        return "EARN".equals(kind) || "REVERSAL".equals(kind);
    }

    private Uni<Void> applyOne(Purchase recorded) {
        if (recorded.isEarn()) {
            return repository.pool().withTransaction(transaction -> repository.recordPurchases(transaction, List.of(recorded))
                            .flatMap(ignored -> evaluate(transaction, recorded.memberId(), UPGRADE, QUALIFIED)))
                    .flatMap(ledger::cacheAfterCommit);
        }
        return repository.pool().withTransaction(transaction ->
                repository.recordReversal(transaction, recorded.memberId(), recorded.transferId(), recorded.relatedTransferId(), recorded.points()));
    }

    private Uni<Void> upgradeWhereQualified(List<TierRepository.MemberSpend> standings) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (TierRepository.MemberSpend standing : standings) {
            if (config.tierFor(standing.spend()).ordinal() > standing.savedTier().ordinal()) {
                chain = chain.flatMap(ignored -> repository.pool()
                        .withTransaction(transaction -> evaluate(transaction, standing.memberId(), UPGRADE, QUALIFIED))
                        .flatMap(ledger::cacheAfterCommit));
            }
        }
        return chain;
    }

    private Uni<Void> applyInOrder(List<Purchase> recorded) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Purchase purchase : recorded) {
            chain = chain.flatMap(ignored -> applyOne(purchase));
        }
        return chain;
    }

    /**
     * Counts purchases from before the program toward qualifying spend, each once (its key is the
     * purchase's own id), on the caller's transaction, and upgrades, in that same transaction, each
     * of their members whose spend now reaches a higher tier: the import that brings them commits
     * both or neither. Purchases older than the window are not kept (they can never count again).
     * The balances whose tier changed, to cache once the transaction commits.
     */
    public Uni<List<Balance>> recordHistory(SqlClient transaction, List<HistoricalPurchase> purchases) {
        OffsetDateTime windowStart = windowStart();
        List<Purchase> counted = purchases.stream().filter(purchase -> purchase.occurredAt().isAfter(windowStart))
                .map(purchase -> new Purchase(purchase.purchaseId(), TransferKind.EARN, purchase.memberId(), 0, purchase.amount(),
                        purchase.amount(), purchase.occurredAt(), null))
                .toList();
        List<UUID> members = counted.stream().map(Purchase::memberId).distinct().sorted().toList();
        return repository.recordPurchases(transaction, counted)
                .chain(() -> repository.standings(transaction, members, windowStart))
                .chain(standings -> upgradeInTransaction(transaction, standings));
    }

    /** Upgrades, one after another in member order (the order the write path locks accounts in), those who qualify. */
    private Uni<List<Balance>> upgradeInTransaction(SqlClient transaction, List<TierRepository.MemberSpend> standings) {
        List<UUID> qualified = standings.stream()
                .filter(standing -> config.tierFor(standing.spend()).ordinal() > standing.savedTier().ordinal())
                .map(TierRepository.MemberSpend::memberId).sorted().toList();
        List<Balance> changed = new java.util.ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (UUID memberId : qualified) {
            chain = chain.chain(() -> evaluate(transaction, memberId, UPGRADE, QUALIFIED).invoke(balance -> {
                if (balance != null) {
                    changed.add(balance);
                }
            })).replaceWithVoid();
        }
        return chain.map(done -> changed);
    }

    /** Downgrades the member if their spend no longer qualifies; for the periodic review. */
    public Uni<Void> review(UUID memberId) {
        return repository.pool().withTransaction(transaction -> evaluate(transaction, memberId, DOWNGRADE, "periodic review")
                        .call(changed -> changed == null
                                ? repository.saveStatusReviewed(transaction, memberId, nextReview())
                                : Uni.createFrom().voidItem()))
                .flatMap(ledger::cacheAfterCommit);
    }

    /** The member's tier and progress. Fails with MEMBER_NOT_FOUND. */
    public Uni<TierStanding> standing(UUID memberId) {
        return ledger.balance(memberId).flatMap(balance -> repository.qualifyingSpend(repository.pool(), memberId, windowStart())
                .flatMap(spend -> repository.status(repository.pool(), memberId)
                        .map(status -> standing(balance.tier(), spend, status))));
    }

    private TierStanding standing(Tier tier, long spend, TierRepository.SavedStatus status) {
        Tier next = tier == Tier.GOLD ? null : Tier.values()[tier.ordinal() + 1];
        Long remaining = next == null ? null : Math.max(0, minimumSpend(next) - spend);
        return new TierStanding(tier, spend, next, remaining, status == null ? null : status.reviewAt(),
                status == null ? null : status.since());
    }

    /** Moves the tier in {@code direction} if the spend says so; the new balance, or null. */
    private Uni<Balance> evaluate(SqlClient transaction, UUID memberId, int direction, String reason) {
        return repository.qualifyingSpend(transaction, memberId, windowStart()).flatMap(spend -> ledger
                .changeTier(transaction, memberId, config.tierFor(spend), direction, reason)
                .call(changed -> changed == null ? Uni.createFrom().voidItem()
                        : repository.saveStatus(transaction, memberId, changed.tier(), now(), nextReview())));
    }

    private long minimumSpend(Tier tier) {
        return switch (tier) {
            case BASIC -> 0;
            case SILVER -> config.silverMinimumSpend();
            case GOLD -> config.goldMinimumSpend();
        };
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private OffsetDateTime windowStart() {
        return now().minus(config.qualifyingWindow());
    }

    private OffsetDateTime nextReview() {
        return now().plus(config.reviewPeriod());
    }
}
