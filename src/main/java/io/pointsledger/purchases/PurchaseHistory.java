package io.pointsledger.purchases;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The purchases members made before the program, kept for what learns from purchase history
 * (tiers, recommendations, segments, churn). A row is no transfer: when an import posts the points
 * a purchase earned, the row names the earn that did. One purchase per member and order id, so
 * bringing a file over again adds nothing.
 */
@ApplicationScoped
public class PurchaseHistory {

    /**
     * Inserts each purchase not there yet and tells, for every one, whether it was inserted now or
     * which import and row brought it before. The lateral look-up reads the rows from before this
     * statement (a statement does not see its own inserts) one index probe each.
     */
    private static final String RECORD = """
            WITH input AS (
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::bigint[], $6::text[],
                                     $7::text[], $8::bigint[])
                    AS i (member_id, order_id, purchase_id, occurred_at, amount, channel, items, first_row)
            ), inserted AS (
                INSERT INTO purchase_history (member_id, order_id, purchase_id, occurred_at, amount_minor_units, channel,
                                              items, import_job_id, first_row, posting_pending)
                SELECT member_id, order_id, purchase_id, occurred_at, amount, channel, items::jsonb, $9, first_row, $10 FROM input
                ON CONFLICT (member_id, order_id) DO NOTHING
                RETURNING member_id, order_id
            )
            SELECT i.member_id, i.order_id, n.order_id IS NOT NULL AS inserted, earlier.import_job_id, earlier.first_row,
                   COALESCE(earlier.posting_pending, false) AS posting_pending,
                   COALESCE(earlier.posting_pending AND earlier.job_status <> 'RUNNING', false) AS claim_abandoned
              FROM input i
              LEFT JOIN inserted n ON n.member_id = i.member_id AND n.order_id = i.order_id
              LEFT JOIN LATERAL (SELECT p.import_job_id, p.first_row, p.posting_pending, j.status AS job_status
                                   FROM purchase_history p LEFT JOIN import_jobs j ON j.job_id = p.import_job_id
                                  WHERE p.member_id = i.member_id AND p.order_id = i.order_id) earlier ON true""";

    /**
     * Records the earn each claimed purchase was posted as (null: none, it earned nothing still
     * valid) and ends its claim. The {@code = ANY} lets a generic plan probe the key's index.
     */
    private static final String SETTLE = """
            UPDATE purchase_history p SET posting_pending = false, transfer_id = s.transfer_id
              FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS s (member_id, order_id, transfer_id)
             WHERE p.member_id = s.member_id AND p.order_id = s.order_id AND p.member_id = ANY($1::uuid[])""";

    /**
     * Takes over claims an import left open when it ended (its job no longer RUNNING): the row's
     * lock lets one import win, and one that waited for it then finds the claim another running
     * import's. The purchases taken over.
     */
    private static final String TAKE_OVER = """
            UPDATE purchase_history p SET import_job_id = $3
              FROM unnest($1::uuid[], $2::text[]) AS t (member_id, order_id)
             WHERE p.member_id = t.member_id AND p.order_id = t.order_id AND p.member_id = ANY($1::uuid[])
               AND p.posting_pending
               AND NOT EXISTS (SELECT 1 FROM import_jobs j WHERE j.job_id = p.import_job_id AND j.status = 'RUNNING')
            RETURNING p.member_id, p.order_id""";

    /** Deletes claims whose purchases were refused when their points were posted: they were never brought over. */
    private static final String UNCLAIM = """
            DELETE FROM purchase_history p
             USING unnest($1::uuid[], $2::text[]) AS u (member_id, order_id)
             WHERE p.member_id = u.member_id AND p.order_id = u.order_id AND p.member_id = ANY($1::uuid[]) AND p.posting_pending""";

    private static final String FORGET_MEMBER = "DELETE FROM purchase_history WHERE member_id = $1";

    /**
     * What became of a purchase offered to the history: inserted now, or brought by
     * {@code importJobId} at {@code firstRow}, its points still being posted when {@code postingPending},
     * by an import that ended before it did when {@code claimAbandoned}. Neither inserted nor
     * brought by an import: another transaction inserted it while this statement ran.
     */
    public record Recorded(UUID memberId, String orderId, boolean inserted, UUID importJobId, Long firstRow,
            boolean postingPending, boolean claimAbandoned) {
    }

    /** A claimed purchase and the earn that posted its points (null: none). */
    public record Settled(UUID memberId, String orderId, UUID transferId) {
    }

    /**
     * Records the purchases an import brings, on the caller's transaction; each once ever. Claimed
     * ({@code postingPending}) by an import that posts their points until {@link #settle} ends it.
     */
    public Uni<List<Recorded>> record(SqlClient transaction, UUID importJobId, List<HistoricalPurchase> purchases,
            boolean postingPending) {
        if (purchases.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Tuple arrays = Tuple.tuple(List.of(
                purchases.stream().map(HistoricalPurchase::memberId).toArray(UUID[]::new),
                purchases.stream().map(HistoricalPurchase::orderId).toArray(String[]::new),
                purchases.stream().map(HistoricalPurchase::purchaseId).toArray(UUID[]::new),
                purchases.stream().map(HistoricalPurchase::occurredAt).toArray(OffsetDateTime[]::new),
                purchases.stream().map(HistoricalPurchase::amount).toArray(Long[]::new),
                purchases.stream().map(HistoricalPurchase::channel).toArray(String[]::new),
                purchases.stream().map(PurchaseHistory::itemsJson).toArray(String[]::new),
                purchases.stream().map(HistoricalPurchase::firstRow).toArray(Long[]::new),
                importJobId, postingPending));
        return transaction.preparedQuery(RECORD).execute(arrays).map(rows -> {
            List<Recorded> recorded = new ArrayList<>(rows.size());
            rows.forEach(row -> recorded.add(new Recorded(row.getUUID("member_id"), row.getString("order_id"),
                    row.getBoolean("inserted"), row.getUUID("import_job_id"), row.getLong("first_row"),
                    row.getBoolean("posting_pending"), row.getBoolean("claim_abandoned"))));
            return recorded;
        });
    }

    /** Ends the claims on these purchases, on the caller's transaction, recording the earns that posted them. */
    public Uni<Void> settle(SqlClient transaction, List<Settled> settled) {
        if (settled.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return transaction.preparedQuery(SETTLE).execute(Tuple.of(settled.stream().map(Settled::memberId).toArray(UUID[]::new),
                settled.stream().map(Settled::orderId).toArray(String[]::new),
                settled.stream().map(Settled::transferId).toArray(UUID[]::new))).replaceWithVoid();
    }

    /** Takes over, for {@code importJobId}, these claims (member id, order id) whose imports ended; those it took. */
    public Uni<java.util.Set<List<Object>>> takeOver(SqlClient transaction, UUID importJobId, List<Recorded> abandoned) {
        if (abandoned.isEmpty()) {
            return Uni.createFrom().item(java.util.Set.of());
        }
        return transaction.preparedQuery(TAKE_OVER).execute(Tuple.of(abandoned.stream().map(Recorded::memberId).toArray(UUID[]::new),
                abandoned.stream().map(Recorded::orderId).toArray(String[]::new), importJobId)).map(rows -> {
                    java.util.Set<List<Object>> taken = new java.util.HashSet<>();
                    rows.forEach(row -> taken.add(List.of(row.getUUID("member_id"), row.getString("order_id"))));
                    return taken;
                });
    }

    /** Withdraws claims (member id, order id) whose purchases were refused as their points were posted, on the caller's transaction. */
    public Uni<Void> unclaim(SqlClient transaction, List<Settled> refused) {
        if (refused.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return transaction.preparedQuery(UNCLAIM).execute(Tuple.of(refused.stream().map(Settled::memberId).toArray(UUID[]::new),
                refused.stream().map(Settled::orderId).toArray(String[]::new))).replaceWithVoid();
    }

    /** Deletes the member's purchases from before the program, on the caller's transaction (their erasure's). */
    public Uni<Void> forgetMember(SqlClient transaction, UUID memberId) {
        return transaction.preparedQuery(FORGET_MEMBER).execute(Tuple.of(memberId)).replaceWithVoid();
    }

    /** The lines as an earn's metadata holds its items (sku, category, quantity, unitPrice), with each line's amount. */
    private static String itemsJson(HistoricalPurchase purchase) {
        JsonArray items = new JsonArray();
        for (HistoricalPurchase.Line line : purchase.lines()) {
            JsonObject item = new JsonObject().put("sku", line.sku()).put("quantity", line.quantity()).put("amount", line.amount());
            if (line.category() != null) {
                item.put("category", line.category());
            }
            if (line.unitPrice() != null) {
                item.put("unitPrice", line.unitPrice());
            }
            items.add(item);
        }
        return items.encode();
    }
}
