package io.pointsledger.tiers;

import io.pointsledger.ledger.Purchase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** All SQL of tier qualification. */
@ApplicationScoped
public class TierRepository {

    /** Applies a reversal once: the marker row makes a redelivery a no-op. */
    private static final String RECORD_REVERSAL = """
            WITH first_time AS (
                INSERT INTO tier_reversals_applied (transfer_id, member_id) VALUES ($1, $4)
                ON CONFLICT (transfer_id, member_id) DO NOTHING RETURNING transfer_id
            )
            UPDATE tier_purchases p
               SET reversed_minor_units = LEAST(p.amount_minor_units,
                                                p.reversed_minor_units + floor(p.amount_minor_units::numeric * $3 / p.points)::bigint)
              FROM first_time
             WHERE p.transfer_id = $2 AND p.member_id = $4 AND p.points > 0""";

    /** Many purchases at once, each once, with the part of their amount that qualifies. */
    private static final String RECORD_PURCHASES = """
            INSERT INTO tier_purchases (transfer_id, member_id, amount_minor_units, points, occurred_at)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::bigint[], $5::timestamptz[])
            ON CONFLICT (transfer_id, member_id) DO NOTHING""";

    /** Each member's qualifying spend and saved tier (BASIC before their first change). */
    private static final String STANDINGS = """
            SELECT m.member_id, COALESCE(s.tier, 'BASIC') AS tier,
                   (SELECT COALESCE(sum(p.amount_minor_units - p.reversed_minor_units), 0)
                      FROM tier_purchases p WHERE p.member_id = m.member_id AND p.occurred_at > $2) AS spend
              FROM unnest($1::uuid[]) AS m (member_id)
              LEFT JOIN tier_status s ON s.member_id = m.member_id""";

    private static final String QUALIFYING_SPEND = """
            SELECT COALESCE(sum(amount_minor_units - reversed_minor_units), 0)
              FROM tier_purchases WHERE member_id = $1 AND occurred_at > $2""";

    private static final String STATUS = "SELECT tier, since, review_at FROM tier_status WHERE member_id = $1";

    private static final String SAVE_STATUS = """
            INSERT INTO tier_status (member_id, tier, since, review_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (member_id) DO UPDATE SET tier = EXCLUDED.tier, since = EXCLUDED.since, review_at = EXCLUDED.review_at""";

    private static final String DUE_FOR_REVIEW = """
            SELECT member_id FROM tier_status WHERE review_at <= $1 AND tier <> 'BASIC' AND member_id > $2
             ORDER BY member_id LIMIT $3""";

    private final Pool pool;

    TierRepository(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    /** Records earns (their qualifying amount) in the caller's transaction, each once. */
    Uni<Void> recordPurchases(SqlClient transaction, List<Purchase> purchases) {
        if (purchases.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple arrays = Tuple.of(
                purchases.stream().map(Purchase::transferId).toArray(UUID[]::new),
                purchases.stream().map(Purchase::memberId).toArray(UUID[]::new),
                purchases.stream().map(Purchase::qualifyingAmount).toArray(Long[]::new),
                purchases.stream().map(Purchase::points).toArray(Long[]::new),
                purchases.stream().map(Purchase::occurredAt).toArray(OffsetDateTime[]::new));
        return transaction.preparedQuery(RECORD_PURCHASES).execute(arrays).replaceWithVoid();
    }

    /** Qualifying spend since {@code windowStart} and saved tier of each member. */
    Uni<List<MemberSpend>> standings(SqlClient client, List<UUID> memberIds, OffsetDateTime windowStart) {
        if (memberIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return client.preparedQuery(STANDINGS).execute(Tuple.of(memberIds.toArray(UUID[]::new), windowStart)).map(rows -> {
            List<MemberSpend> standings = new ArrayList<>(rows.size());
            rows.forEach(row -> standings.add(new MemberSpend(row.getUUID("member_id"), Tier.valueOf(row.getString("tier")),
                    row.getLong("spend"))));
            return standings;
        });
    }

    Uni<Void> recordReversal(SqlClient transaction, UUID memberId, UUID reversalId, UUID originalId, long points) {
        return transaction.preparedQuery(RECORD_REVERSAL).execute(Tuple.of(reversalId, originalId, points, memberId))
                .replaceWithVoid();
    }

    Uni<Long> qualifyingSpend(SqlClient client, UUID memberId, OffsetDateTime windowStart) {
        return client.preparedQuery(QUALIFYING_SPEND).execute(Tuple.of(memberId, windowStart))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** The saved status, or null before the member's first tier change. */
    Uni<SavedStatus> status(SqlClient client, UUID memberId) {
        return client.preparedQuery(STATUS).execute(Tuple.of(memberId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new SavedStatus(Tier.valueOf(row.getString("tier")), row.getOffsetDateTime("since"),
                    row.getOffsetDateTime("review_at"));
        });
    }

    Uni<Void> saveStatus(SqlClient transaction, UUID memberId, Tier tier, OffsetDateTime since, OffsetDateTime reviewAt) {
        return transaction.preparedQuery(SAVE_STATUS).execute(Tuple.of(memberId, tier.name(), since, reviewAt)).replaceWithVoid();
    }

    Uni<Void> saveStatusReviewed(SqlClient transaction, UUID memberId, OffsetDateTime reviewAt) {
        return transaction.preparedQuery("UPDATE tier_status SET review_at = $2 WHERE member_id = $1")
                .execute(Tuple.of(memberId, reviewAt)).replaceWithVoid();
    }

    /** Members above BASIC due for review, after {@code afterMemberId} in id order. */
    Uni<List<UUID>> dueForReview(OffsetDateTime now, UUID afterMemberId, int limit) {
        return pool.preparedQuery(DUE_FOR_REVIEW).execute(Tuple.of(now, afterMemberId, limit)).map(rows -> {
            List<UUID> members = new ArrayList<>(rows.size());
            rows.forEach(row -> members.add(row.getUUID(0)));
            return members;
        });
    }

    record MemberSpend(UUID memberId, Tier savedTier, long spend) {
    }

    record SavedStatus(Tier tier, OffsetDateTime since, OffsetDateTime reviewAt) {
    }
}
