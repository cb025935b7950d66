package io.pointsledger.recommendations;

import io.pointsledger.ledger.LedgerService;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Item-to-item collaborative filtering from co-purchase counts, updated from each purchase event
 * (so a purchase shows in recommendations as soon as its event is processed). A member's
 * candidates are the items co-purchased with their recent items, scored at read time from the
 * counts — exact, one indexed query, nothing per member to keep in step.
 */
@ApplicationScoped
public class RecommendationService {

    /** A member's most recent items that seed their recommendations and link to new purchases. */
    static final int RECENT_ITEMS_MAX = 50;
    static final int LIMIT_DEFAULT = 10;
    static final int LIMIT_MAX = 50;

    private final RecommendationRepository repository;
    private final LedgerService ledger;

    RecommendationService(RecommendationRepository repository, LedgerService ledger) {
        this.repository = repository;
        this.ledger = ledger;
    }

    /** Counts the items of an EARN event once; other events change nothing. */
    public Uni<Void> apply(JsonObject event) {
        return hasItems(event) ? repository.recordPurchase(purchase(event), RECENT_ITEMS_MAX) : Uni.createFrom().voidItem();
    }

    /** {@link #apply} for a batch of events, in their order, in one transaction. */
    public Uni<Void> applyAll(List<JsonObject> events) {
        return repository.recordPurchases(
                events.stream().filter(RecommendationService::hasItems).map(RecommendationService::purchase).toList(),
                RECENT_ITEMS_MAX);
    }

    private static boolean hasItems(JsonObject event) {
        JsonArray items = event.getJsonArray("items");
        return "EARN".equals(event.getString("kind")) && items != null && !items.isEmpty();
    }

    /** Reads a purchase event; fails on a malformed one (which then goes to the dead letters). */
    private static RecommendationRepository.Purchase purchase(JsonObject event) {
        JsonArray items = event.getJsonArray("items");
        Set<String> skus = new LinkedHashSet<>();
        for (int index = 0; index < items.size(); index++) {
            skus.add(items.getJsonObject(index).getString("sku"));
        }
        return new RecommendationRepository.Purchase(UUID.fromString(event.getString("transferId")),
                UUID.fromString(event.getString("memberId")), skus.toArray(String[]::new),
                OffsetDateTime.parse(event.getString("occurredAt")));
    }

    /**
     * Forgets what the member bought, on {@code transaction}, the caller's own: an erasure and the
     * deletion of the purchase history it requires commit or fail together. A purchase event from
     * before the erasure that arrives later is not recorded for the member. The co-purchase counts
     * and popularity stay (they hold no member), and so do the rows that mark a purchase event as
     * counted: they name only a transfer and its member, as the ledger itself does, and without them
     * a redelivered event would be counted twice.
     */
    public Uni<Void> forgetMember(SqlClient transaction, UUID memberId) {
        return repository.forgetMember(transaction, memberId);
    }

    /**
     * Up to {@code limit} items the member has not bought: co-purchased ones first, then the most
     * popular. Fails with MEMBER_NOT_FOUND or VALIDATION_FAILED.
     */
    public Uni<List<Recommendation>> forMember(UUID memberId, Integer limit) {
        int size = limit == null ? LIMIT_DEFAULT : limit;
        if (size < 1 || size > LIMIT_MAX) {
            throw new ProblemException(ErrorCode.VALIDATION_FAILED, "limit: from 1 to " + LIMIT_MAX);
        }
        return ledger.balance(memberId).flatMap(exists -> repository.coPurchased(memberId, size, RECENT_ITEMS_MAX))
                .flatMap(coPurchased -> coPurchased.size() >= size
                        ? Uni.createFrom().item(coPurchased)
                        : repository.popular(memberId, size).map(popular -> merge(coPurchased, popular, size)));
    }

    private static List<Recommendation> merge(List<Recommendation> first, List<Recommendation> fill, int size) {
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
