package io.pointsledger.recommendations;

import io.pointsledger.ledger.LedgerService;
import io.pointsledger.ledger.PurchasedItems;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.purchases.HistoricalPurchase;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Item-to-item collaborative filtering: item-item cosine similarity over who bought what, from
 * buyer counts updated by each purchase event (so a purchase shows in recommendations as soon as
 * its event is processed). A member's candidates are the items bought by buyers of their recent
 * items, scored at read time from the counts: exact, one indexed query, nothing per member to keep
 * in step.
 */
@ApplicationScoped
public class RecommendationService {

    static final int LIMIT_DEFAULT = 10;
    static final int LIMIT_MAX = 50;

    private final RecommendationRepository repository;
    private final LedgerService ledger;

    RecommendationService(RecommendationRepository repository, LedgerService ledger) {
        this.repository = repository;
        this.ledger = ledger;
    }

    /**
     * Counts the items of the earn an EARN event names, once; other events change nothing. The
     * items, member, partner and time come from the ledger, never from the event: whoever can
     * write to the topic must not be able to shape what is recommended. An event naming an earn
     * the ledger does not have fails as malformed (not retried), which sends it to the dead letters.
     */
    public Uni<Void> apply(JsonObject event) {
        return recorded(List.of(event)).flatMap(purchases -> repository.recordPurchases(purchases));
    }

    /** {@link #apply} for a batch of events, in their order, in one transaction. */
    public Uni<Void> applyAll(List<JsonObject> events) {
        return recorded(events).flatMap(purchases -> repository.recordPurchases(purchases));
    }

    /**
     * Counts a purchase the caller read from the ledger itself, once; for replaying history the
     * ledger already holds (and the offline evaluation), never for anything read off the bus.
     */
    public Uni<Void> countRecorded(PurchasedItems purchase) {
        return purchase.skus().isEmpty() ? Uni.createFrom().voidItem() : repository.recordPurchase(purchase);
    }

    /**
     * Counts purchases from before the program, in their order, each once (under its own id), on
     * the caller's transaction: an import brings them in, the program's own sales as far as
     * partners go (their recommendations derive from their own sales only).
     */
    public Uni<Void> countHistory(SqlClient transaction, List<HistoricalPurchase> purchases) {
        List<PurchasedItems> withItems = purchases.stream().filter(purchase -> !purchase.lines().isEmpty())
                .map(purchase -> new PurchasedItems(purchase.purchaseId(), purchase.memberId(), Caller.OPERATOR_ID,
                        purchase.occurredAt(), purchase.skus()))
                .toList();
        return repository.recordPurchases(transaction, withItems);
    }

    /** The ledger's record of each earn the events name, in event order, those with items only. */
    private Uni<List<PurchasedItems>> recorded(List<JsonObject> events) {
        List<UUID> named = events.stream().filter(event -> "EARN".equals(event.getString("kind")))
                .map(RecommendationService::transferId).toList();
        return ledger.purchasedItems(named).map(found -> inEventOrder(named, found));
    }

    private static List<PurchasedItems> inEventOrder(List<UUID> named, List<PurchasedItems> found) {
        Map<UUID, PurchasedItems> byTransfer = found.stream()
                .collect(Collectors.toMap(PurchasedItems::transferId, Function.identity()));
        List<PurchasedItems> ordered = new ArrayList<>(named.size());
        for (UUID transferId : named) {
            PurchasedItems purchase = byTransfer.get(transferId);
            if (purchase == null) {
                throw new IllegalArgumentException("The ledger has no earn " + transferId + " as this event claims");
            }
            if (!purchase.skus().isEmpty()) {
                ordered.add(purchase);
            }
        }
        return ordered;
    }

    /** Fails as malformed for a missing or unparsable id. */
    private static UUID transferId(JsonObject event) {
        String transferId = event.getString("transferId");
        if (transferId == null) {
            throw new IllegalArgumentException("An EARN event without transferId");
        }
        return UUID.fromString(transferId);
    }

    /**
     * Forgets what the member bought, on {@code transaction}, the caller's own: an erasure and the
     * deletion of the purchase history it requires commit or fail together. A purchase event from
     * before the erasure that arrives later is not recorded for the member. The buyer counts
     * of items and pairs stay (they hold no member), and so do the rows that mark a purchase event as
     * counted: they name only a transfer and its member, as the ledger itself does, and without them
     * a redelivered event would be counted twice.
     */
    public Uni<Void> forgetMember(SqlClient transaction, UUID memberId) {
        return repository.forgetMember(transaction, memberId);
    }

    /**
     * Up to {@code limit} items the member has not bought: those most similar to their recent items
     * first, then the most popular. For a partner, "bought" means bought from that partner: its recommendations derive
     * from its own sales to the member, so they reveal nothing the member bought elsewhere. An
     * administrator's derive from every purchase. Fails with MEMBER_NOT_FOUND or VALIDATION_FAILED.
     */
    public Uni<List<Recommendation>> forMember(Caller caller, UUID memberId, Integer limit) {
        int size = limit == null ? LIMIT_DEFAULT : limit;
        if (size < 1 || size > LIMIT_MAX) {
            throw new ProblemException(ErrorCode.VALIDATION_FAILED, "limit: from 1 to " + LIMIT_MAX);
        }
        String partnerId = caller.seesAllPartners() ? null : caller.partnerId();
        return ledger.balance(memberId).flatMap(exists -> rank(memberId, partnerId, size));
    }

    /** The ranking itself, for a member known to exist (the offline evaluation's members are not enrolled). */
    Uni<List<Recommendation>> rank(UUID memberId, String partnerId, int size) {
        return repository.similarToMemberItems(memberId, partnerId, size)
                .flatMap(similar -> similar.size() >= size
                        ? Uni.createFrom().item(similar)
                        : repository.popular(memberId, partnerId, size).map(popular -> merge(similar, popular, size)));
    }

    /** {@code first}, then those of {@code fill} not in it, up to {@code size} items. */
    static List<Recommendation> merge(List<Recommendation> first, List<Recommendation> fill, int size) {
        List<Recommendation> merged = new ArrayList<>(first);
        Set<String> seen = new LinkedHashSet<>();
        first.forEach(recommendation -> seen.add(recommendation.sku()));
        for (Recommendation candidate : fill) {
            if (merged.size() >= size) {
                break;
            }
            if (seen.add(candidate.sku())) {
                merged.add(candidate);
            }
        }
        return merged;
    }
}
