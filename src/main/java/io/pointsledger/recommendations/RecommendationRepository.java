package io.pointsledger.recommendations;

import io.pointsledger.ledger.PurchasedItems;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** All SQL of recommendations. */
@ApplicationScoped
public class RecommendationRepository {

    /**
     * Counts one purchase, once (the first CTE makes a redelivery a no-op): item popularity, the
     * member's items at the selling partner {@code $6}, and co-purchase pairs between the basket's
     * items and with the member's {@code $5} most recent earlier items at that same partner, both
     * directions: a pair never joins what the member bought at two partners, so no partner's
     * recommendations are derived from another's sales to the member. A purchase from before the
     * member's erasure still counts in the anonymous pairs and popularity, never in the member's items.
     */
    private static final String RECORD_PURCHASE = """
            WITH first_time AS (
                INSERT INTO recommendation_purchases (transfer_id, member_id) VALUES ($1, $2)
                ON CONFLICT (transfer_id, member_id) DO NOTHING RETURNING transfer_id
            ), basket AS (
                SELECT DISTINCT sku FROM unnest($3::text[]) AS sku WHERE EXISTS (SELECT 1 FROM first_time)
            ), earlier AS (
                SELECT m.sku FROM member_items m
                 WHERE m.member_id = $2 AND m.partner_id = $6 AND EXISTS (SELECT 1 FROM first_time)
                 ORDER BY m.last_at DESC LIMIT $5
            ), linked AS (
                SELECT a.sku, b.sku AS other_sku FROM basket a JOIN basket b ON a.sku <> b.sku
                UNION
                SELECT b.sku, e.sku FROM basket b JOIN earlier e ON b.sku <> e.sku
                UNION
                SELECT e.sku, b.sku FROM basket b JOIN earlier e ON b.sku <> e.sku
            ), pairs AS (
                INSERT INTO item_pairs (sku, other_sku, count) SELECT sku, other_sku, 1 FROM linked
                ON CONFLICT (sku, other_sku) DO UPDATE SET count = item_pairs.count + 1
            ), popularity AS (
                INSERT INTO item_popularity (sku, purchases) SELECT sku, 1 FROM basket
                ON CONFLICT (sku) DO UPDATE SET purchases = item_popularity.purchases + 1
            ), mine AS (
                INSERT INTO member_items (member_id, partner_id, sku, purchases, last_at) SELECT $2, $6, sku, 1, $4 FROM basket
                 WHERE NOT EXISTS (SELECT 1 FROM recommendation_erasures e WHERE e.member_id = $2 AND e.erased_at >= $4)
                ON CONFLICT (member_id, partner_id, sku) DO UPDATE
                   SET purchases = member_items.purchases + 1, last_at = GREATEST(member_items.last_at, EXCLUDED.last_at)
            )
            SELECT count(*) FROM basket""";

    /**
     * Items co-purchased with the member's recent items, minus what they bought, best first; the
     * member's items are those bought at partner {@code $4}, or at any partner when it is null.
     */
    private static final String FOR_MEMBER = """
            WITH recent AS (
                SELECT sku, max(last_at) AS last_at FROM member_items
                 WHERE member_id = $1 AND ($4::text IS NULL OR partner_id = $4)
                 GROUP BY sku ORDER BY last_at DESC LIMIT $3
            )
            SELECT p.other_sku AS sku, sum(p.count) AS score
              FROM item_pairs p JOIN recent r ON p.sku = r.sku
             WHERE NOT EXISTS (SELECT 1 FROM member_items m
                                WHERE m.member_id = $1 AND ($4::text IS NULL OR m.partner_id = $4) AND m.sku = p.other_sku)
             GROUP BY p.other_sku
             ORDER BY score DESC, p.other_sku
             LIMIT $2""";

    /** The most popular items, minus what the member bought (at partner {@code $3}, or anywhere when null). */
    private static final String POPULAR = """
            SELECT i.sku, i.purchases AS score FROM item_popularity i
             WHERE NOT EXISTS (SELECT 1 FROM member_items m
                                WHERE m.member_id = $1 AND ($3::text IS NULL OR m.partner_id = $3) AND m.sku = i.sku)
             ORDER BY i.purchases DESC, i.sku LIMIT $2""";

    /** Deletes the member's items and marks when, so that a late event of an earlier purchase is not recorded. */
    private static final String FORGET_MEMBER = """
            WITH erasure AS (
                INSERT INTO recommendation_erasures (member_id, erased_at) VALUES ($1, now())
                ON CONFLICT (member_id) DO UPDATE SET erased_at = EXCLUDED.erased_at
            )
            DELETE FROM member_items WHERE member_id = $1""";

    private final Pool pool;

    RecommendationRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> recordPurchase(PurchasedItems purchase, int earlierItemsMax) {
        return pool.preparedQuery(RECORD_PURCHASE).execute(arguments(purchase, earlierItemsMax)).replaceWithVoid();
    }

    /**
     * Counts many purchases, in order, in one transaction and one round trip (a pipelined batch of
     * the same statement): one commit instead of one per purchase.
     */
    Uni<Void> recordPurchases(List<PurchasedItems> purchases, int earlierItemsMax) {
        if (purchases.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(transaction -> recordPurchases(transaction, purchases, earlierItemsMax));
    }

    /** {@link #recordPurchases(List, int)} on the caller's transaction. */
    Uni<Void> recordPurchases(SqlClient transaction, List<PurchasedItems> purchases, int earlierItemsMax) {
        if (purchases.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> tuples = purchases.stream().map(purchase -> arguments(purchase, earlierItemsMax)).toList();
        return transaction.preparedQuery(RECORD_PURCHASE).executeBatch(tuples).replaceWithVoid();
    }

    /** Deletes what the member bought, on the caller's transaction. */
    Uni<Void> forgetMember(SqlClient transaction, UUID memberId) {
        return transaction.preparedQuery(FORGET_MEMBER).execute(Tuple.of(memberId)).replaceWithVoid();
    }

    private static Tuple arguments(PurchasedItems purchase, int earlierItemsMax) {
        return Tuple.from(List.of(purchase.transferId(), purchase.memberId(), purchase.skus().toArray(String[]::new),
                purchase.occurredAt(), earlierItemsMax, purchase.partnerId()));
    }

    /** {@code partnerId} null: from what the member bought at every partner. */
    Uni<List<Recommendation>> coPurchased(UUID memberId, String partnerId, int limit, int recentItemsMax) {
        return pool.preparedQuery(FOR_MEMBER).execute(Tuple.of(memberId, limit, recentItemsMax, partnerId))
                .map(RecommendationRepository::toRecommendations);
    }

    /** {@code partnerId} null: excluding what the member bought at every partner. */
    Uni<List<Recommendation>> popular(UUID memberId, String partnerId, int limit) {
        return pool.preparedQuery(POPULAR).execute(Tuple.of(memberId, limit, partnerId)).map(RecommendationRepository::toRecommendations);
    }

    private static List<Recommendation> toRecommendations(RowSet<Row> rows) {
        List<Recommendation> recommendations = new ArrayList<>(rows.size());
        rows.forEach(row -> recommendations.add(new Recommendation(row.getString("sku"), row.getLong("score"))));
        return recommendations;
    }
}
