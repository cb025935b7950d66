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
     * Counts one purchase, once (the first CTE makes a redelivery a no-op), as distinct buyers: a
     * buyer is a member at the selling partner {@code $6}. Each item new to the buyer adds one to its
     * buyers; the first {@code $7} of them (in basket order) are paired with each other and with the
     * buyer's {@code $5} most recent earlier items, both directions, adding one buyer to each pair.
     * Buying an item again adds nothing, so a weekly staple does not crowd out what it is bought with,
     * and a pair is counted once per buyer however often both were bought. The caps bound a purchase
     * to {@code $7 × ($7 − 1 + 2 × $5)} pair counts whatever its size. A pair never joins what the
     * member bought at two partners, so no partner's recommendations are derived from another's
     * sales to the member. A purchase from before the member's erasure still counts in the anonymous
     * pairs and buyers, never in the member's items.
     */
    private static final String RECORD_PURCHASE = """
            WITH first_time AS (
                INSERT INTO recommendation_purchases (transfer_id, member_id) VALUES ($1, $2)
                ON CONFLICT (transfer_id, member_id) DO NOTHING RETURNING transfer_id
            ), basket AS (
                SELECT sku, min(position) AS position FROM unnest($3::text[]) WITH ORDINALITY AS line (sku, position)
                 WHERE EXISTS (SELECT 1 FROM first_time)
                 GROUP BY sku
            ), new_to_buyer AS (
                SELECT b.sku, b.position FROM basket b
                 WHERE NOT EXISTS (SELECT 1 FROM member_items m WHERE m.member_id = $2 AND m.partner_id = $6 AND m.sku = b.sku)
            ), paired AS (
                SELECT sku FROM new_to_buyer ORDER BY position LIMIT $7
            ), earlier AS (
                SELECT m.sku FROM member_items m
                 WHERE m.member_id = $2 AND m.partner_id = $6 AND EXISTS (SELECT 1 FROM first_time)
                 ORDER BY m.last_at DESC, m.sku LIMIT $5
            ), linked AS (
                SELECT a.sku, b.sku AS other_sku FROM paired a JOIN paired b ON a.sku <> b.sku
                UNION ALL
                SELECT p.sku, e.sku FROM paired p CROSS JOIN earlier e
                UNION ALL
                SELECT e.sku, p.sku FROM paired p CROSS JOIN earlier e
            ), pairs AS (
                INSERT INTO item_pair_buyers (sku, other_sku, buyers) SELECT sku, other_sku, 1 FROM linked
                ON CONFLICT (sku, other_sku) DO UPDATE SET buyers = item_pair_buyers.buyers + 1
            ), popularity AS (
                INSERT INTO item_buyers (sku, buyers) SELECT sku, 1 FROM new_to_buyer
                ON CONFLICT (sku) DO UPDATE SET buyers = item_buyers.buyers + 1
            ), mine AS (
                INSERT INTO member_items (member_id, partner_id, sku, purchases, last_at) SELECT $2, $6, sku, 1, $4 FROM basket
                 WHERE NOT EXISTS (SELECT 1 FROM recommendation_erasures e WHERE e.member_id = $2 AND e.erased_at >= $4)
                ON CONFLICT (member_id, partner_id, sku) DO UPDATE
                   SET purchases = member_items.purchases + 1, last_at = GREATEST(member_items.last_at, EXCLUDED.last_at)
            )
            SELECT count(*) FROM basket""";

    /**
     * Items similar to the member's {@code $3} most recent ones, minus what they bought, best first:
     * each candidate scores the sum of its cosine similarities with those items, {@code buyers of
     * both ÷ √(buyers of one × buyers of the other)}. Dividing by the candidate's buyers is what keeps
     * a bestseller, bought with everything, from topping every list. The seed's weight is taken
     * once per seed item and the candidate's once per candidate, so the query reads each pair row
     * once. The member's items are those bought at partner {@code $4}, or at any partner when null.
     */
    private static final String SIMILAR_TO_MEMBER_ITEMS = """
            WITH recent AS (
                SELECT sku, max(last_at) AS last_at FROM member_items
                 WHERE member_id = $1 AND ($4::text IS NULL OR partner_id = $4)
                 GROUP BY sku ORDER BY last_at DESC, sku LIMIT $3
            ), seed AS (
                SELECT r.sku, 1 / sqrt(i.buyers) AS weight FROM recent r JOIN item_buyers i ON i.sku = r.sku
            ), linked AS (
                SELECT p.other_sku AS sku, sum(p.buyers * s.weight) AS strength
                  FROM seed s JOIN item_pair_buyers p ON p.sku = s.sku
                 GROUP BY p.other_sku
            )
            SELECT l.sku, l.strength / sqrt(i.buyers) AS score
              FROM linked l JOIN item_buyers i ON i.sku = l.sku
             WHERE NOT EXISTS (SELECT 1 FROM member_items m
                                WHERE m.member_id = $1 AND ($4::text IS NULL OR m.partner_id = $4) AND m.sku = l.sku)
             ORDER BY score DESC, l.sku
             LIMIT $2""";

    /** The most popular items, minus what the member bought (at partner {@code $3}, or anywhere when null). */
    private static final String POPULAR = """
            SELECT i.sku, i.buyers AS score FROM item_buyers i
             WHERE NOT EXISTS (SELECT 1 FROM member_items m
                                WHERE m.member_id = $1 AND ($3::text IS NULL OR m.partner_id = $3) AND m.sku = i.sku)
             ORDER BY i.buyers DESC, i.sku LIMIT $2""";

    /** Deletes the member's items and marks when, so that a late event of an earlier purchase is not recorded. */
    private static final String FORGET_MEMBER = """
            WITH erasure AS (
                INSERT INTO recommendation_erasures (member_id, erased_at) VALUES ($1, now())
                ON CONFLICT (member_id) DO UPDATE SET erased_at = EXCLUDED.erased_at
            )
            DELETE FROM member_items WHERE member_id = $1""";

    private final Pool pool;
    private final RecommendationsConfig config;

    RecommendationRepository(Pool pool, RecommendationsConfig config) {
        this.pool = pool;
        this.config = config;
    }

    Uni<Void> recordPurchase(PurchasedItems purchase) {
        return pool.preparedQuery(RECORD_PURCHASE).execute(arguments(purchase)).replaceWithVoid();
    }

    /**
     * Counts many purchases, in order, in one transaction and one round trip (a pipelined batch of
     * the same statement): one commit instead of one per purchase.
     */
    Uni<Void> recordPurchases(List<PurchasedItems> purchases) {
        if (purchases.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(transaction -> recordPurchases(transaction, purchases));
    }

    /** {@link #recordPurchases(List)} on the caller's transaction. */
    Uni<Void> recordPurchases(SqlClient transaction, List<PurchasedItems> purchases) {
        if (purchases.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> tuples = purchases.stream().map(this::arguments).toList();
        return transaction.preparedQuery(RECORD_PURCHASE).executeBatch(tuples).replaceWithVoid();
    }

    /** Deletes what the member bought, on the caller's transaction. */
    Uni<Void> forgetMember(SqlClient transaction, UUID memberId) {
        return transaction.preparedQuery(FORGET_MEMBER).execute(Tuple.of(memberId)).replaceWithVoid();
    }

    private Tuple arguments(PurchasedItems purchase) {
        return Tuple.from(List.of(purchase.transferId(), purchase.memberId(), purchase.skus().toArray(String[]::new),
                purchase.occurredAt(), config.earlierItemsPaired(), purchase.partnerId(), config.basketItemsPaired()));
    }

    /** {@code partnerId} null: from what the member bought at every partner. */
    Uni<List<Recommendation>> similarToMemberItems(UUID memberId, String partnerId, int limit) {
        return pool.preparedQuery(SIMILAR_TO_MEMBER_ITEMS).execute(Tuple.of(memberId, limit, config.seedItems(), partnerId))
                .map(rows -> toRecommendations(rows, RecommendationBasis.SIMILAR_ITEMS));
    }

    /** {@code partnerId} null: excluding what the member bought at every partner. */
    Uni<List<Recommendation>> popular(UUID memberId, String partnerId, int limit) {
        return pool.preparedQuery(POPULAR).execute(Tuple.of(memberId, limit, partnerId))
                .map(rows -> toRecommendations(rows, RecommendationBasis.POPULAR));
    }

    private static List<Recommendation> toRecommendations(RowSet<Row> rows, RecommendationBasis basis) {
        List<Recommendation> recommendations = new ArrayList<>(rows.size());
        rows.forEach(row -> recommendations.add(new Recommendation(row.getString("sku"), row.getDouble("score"), basis)));
        return recommendations;
    }
}
