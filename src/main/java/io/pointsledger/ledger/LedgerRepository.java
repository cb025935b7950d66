package io.pointsledger.ledger;

import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** All SQL of the ledger: the write function, account reads, history and reconciliation. */
@ApplicationScoped
public class LedgerRepository {

    private static final String POST = """
            SELECT outcome, receipt, tier, posted, held, version
              FROM ledger_post($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)""";

    private static final String ACCOUNT = """
            SELECT tier, posted, held, version FROM member_accounts WHERE member_id = $1""";

    private static final String HISTORY = """
            SELECT sequence, transfer_id, kind, points, posted_delta, held_delta, channel, order_id,
                   related_transfer_id, amount_minor_units, currency, occurred_at, recorded_at
              FROM transfers
             WHERE member_id = $1 AND sequence < $2 AND ($4::text IS NULL OR partner_id = $4)
             ORDER BY sequence DESC
             LIMIT $3""";

    /**
     * Issued: points credited by earns; redeemed: points debited by redeems and captures;
     * reversed: the signed effect of reversals; net: the sum of every posted effect, so that the
     * nets of all partners add up to the change of all balances (what reconciliation checks).
     */
    private static final String SETTLEMENT = """
            SELECT t.partner_id, p.name,
                   COALESCE(sum(t.points) FILTER (WHERE t.kind = 'EARN'), 0) AS issued,
                   COALESCE(sum(t.points) FILTER (WHERE t.kind IN ('REDEEM', 'CAPTURE')), 0) AS redeemed,
                   COALESCE(sum(t.posted_delta) FILTER (WHERE t.kind = 'REVERSAL'), 0) AS reversed,
                   COALESCE(sum(t.posted_delta), 0) AS net,
                   count(*) AS transfers
              FROM transfers t LEFT JOIN partners p USING (partner_id)
             WHERE t.recorded_at >= $1 AND t.recorded_at < $2
             GROUP BY t.partner_id, p.name
             ORDER BY t.partner_id""";

    private static final String MEMBERS_CHECKED = "SELECT count(*) FROM member_accounts";

    /** One statement, so one snapshot: a write landing meanwhile cannot show as a false mismatch. */
    private static final String MISMATCHES = """
            WITH sums AS (
                SELECT member_id, sum(posted_delta) AS posted, sum(held_delta) AS held
                  FROM transfers GROUP BY member_id
            ), compared AS (
                SELECT a.member_id, a.posted AS account_posted, COALESCE(s.posted, 0) AS transfers_posted,
                       a.held AS account_held, COALESCE(s.held, 0) AS transfers_held
                  FROM member_accounts a LEFT JOIN sums s USING (member_id)
                 WHERE a.posted <> COALESCE(s.posted, 0) OR a.held <> COALESCE(s.held, 0)
            )
            SELECT *, count(*) OVER () AS mismatch_count FROM compared ORDER BY member_id LIMIT $1""";

    private static final String PURGE_IDEMPOTENCY_KEYS = """
            DELETE FROM idempotency_keys
             WHERE ctid = ANY (ARRAY (SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT $1))""";

    private final Pool pool;

    LedgerRepository(Pool pool) {
        this.pool = pool;
    }

    /** Runs the one-round-trip write function; see V2__ledger_post_function.sql. */
    Uni<PostingResult> post(Posting posting, EarnRule earnRule, Duration keyRetention) {
        Tuple arguments = Tuple.tuple(List.of(
                posting.partnerId(),
                posting.idempotencyKey(),
                Buffer.buffer(posting.fingerprint()),
                keyRetention.toSeconds(),
                posting.kind().name(),
                posting.memberId()));
        arguments.addLong(posting.points());
        arguments.addLong(posting.amount() == null ? null : posting.amount().value());
        arguments.addString(posting.amount() == null ? null : posting.amount().currency());
        arguments.addString(posting.channel().name());
        arguments.addString(posting.orderId());
        arguments.addOffsetDateTime(posting.occurredAt());
        arguments.addValue(items(posting.items()));
        arguments.addValue(earnRule.asJson());
        return pool.preparedQuery(POST).execute(arguments).map(rows -> toPostingResult(posting.memberId(), rows.iterator().next()));
    }

    /** The account row, or null when no such member exists. */
    Uni<Balance> account(UUID memberId) {
        return pool.preparedQuery(ACCOUNT).execute(Tuple.of(memberId))
                .map(rows -> rows.size() == 0 ? null : toBalance(memberId, rows.iterator().next()));
    }

    /** Up to {@code limit} transfers with a sequence below {@code beforeSequence}, newest first. */
    Uni<List<HistoryRow>> history(UUID memberId, String partnerId, long beforeSequence, int limit) {
        return pool.preparedQuery(HISTORY).execute(Tuple.of(memberId, beforeSequence, limit, partnerId))
                .map(LedgerRepository::toHistory);
    }

    Uni<List<SettlementReport.PartnerSettlement>> settlement(OffsetDateTime from, OffsetDateTime to) {
        return pool.preparedQuery(SETTLEMENT).execute(Tuple.of(from, to)).map(rows -> {
            List<SettlementReport.PartnerSettlement> partners = new ArrayList<>();
            for (Row row : rows) {
                partners.add(new SettlementReport.PartnerSettlement(row.getString("partner_id"), row.getString("name"),
                        row.getLong("issued"), row.getLong("redeemed"), row.getLong("reversed"), row.getLong("net"),
                        row.getLong("transfers")));
            }
            return partners;
        });
    }

    Uni<ReconciliationReport> reconcile(int mismatchesListedMax) {
        Uni<Long> checked = pool.query(MEMBERS_CHECKED).execute().map(rows -> rows.iterator().next().getLong(0));
        Uni<RowSet<Row>> mismatches = pool.preparedQuery(MISMATCHES).execute(Tuple.of(mismatchesListedMax));
        return Uni.combine().all().unis(checked, mismatches).with((count, rows) -> {
            List<ReconciliationReport.Mismatch> listed = new ArrayList<>();
            long mismatchCount = 0;
            for (Row row : rows) {
                mismatchCount = row.getLong("mismatch_count");
                listed.add(new ReconciliationReport.Mismatch(row.getUUID("member_id"),
                        row.getLong("account_posted"), row.getLong("transfers_posted"),
                        row.getLong("account_held"), row.getLong("transfers_held")));
            }
            return new ReconciliationReport(count, mismatchCount, listed);
        });
    }

    /** Deletes at most {@code batchSize} expired idempotency keys; answers how many went. */
    Uni<Integer> purgeExpiredIdempotencyKeys(int batchSize) {
        return pool.preparedQuery(PURGE_IDEMPOTENCY_KEYS).execute(Tuple.of(batchSize)).map(RowSet::rowCount);
    }

    private static JsonArray items(List<LineItem> items) {
        JsonArray array = new JsonArray();
        for (LineItem item : items) {
            array.add(new JsonObject()
                    .put("sku", item.sku())
                    .put("category", item.category())
                    .put("quantity", item.quantity())
                    .put("unitPrice", item.unitPrice()));
        }
        return array;
    }

    private static PostingResult toPostingResult(UUID memberId, Row row) {
        PostingOutcome outcome = PostingOutcome.valueOf(row.getString("outcome"));
        Balance account = row.getString("tier") == null ? null : toBalance(memberId, row);
        return new PostingResult(outcome, row.getJsonObject("receipt"), account);
    }

    private static Balance toBalance(UUID memberId, Row row) {
        return Balance.of(memberId, Tier.valueOf(row.getString("tier")),
                row.getLong("posted"), row.getLong("held"), row.getLong("version"));
    }

    private static List<HistoryRow> toHistory(RowSet<Row> rows) {
        List<HistoryRow> history = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Long amount = row.getLong("amount_minor_units");
            Money money = amount == null ? null : new Money(amount, row.getString("currency"));
            history.add(new HistoryRow(row.getLong("sequence"), new TransferView(
                    row.getUUID("transfer_id"),
                    TransferKind.valueOf(row.getString("kind")),
                    row.getLong("points"),
                    row.getLong("posted_delta"),
                    row.getLong("held_delta"),
                    row.getString("channel"),
                    row.getString("order_id"),
                    row.getUUID("related_transfer_id"),
                    money,
                    row.getOffsetDateTime("occurred_at"),
                    row.getOffsetDateTime("recorded_at"))));
        }
        return history;
    }

    /** A history entry with the sequence the next page's cursor is made of. */
    record HistoryRow(long sequence, TransferView transfer) {
    }
}
