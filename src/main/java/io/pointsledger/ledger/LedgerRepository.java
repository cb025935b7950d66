package io.pointsledger.ledger;

import io.pointsledger.platform.DatabaseConfig;
import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The ledger's SQL besides the write path (see LedgerWriteRepository): account reads, jobs, history, reports. */
@ApplicationScoped
public class LedgerRepository {

    private static final String ACCOUNT = """
            SELECT member_id, tier, posted, held, version, ledger_expiring(member_id, $2, $3, $4) AS expiring
              FROM member_accounts WHERE member_id = $1""";

    /**
     * Changes the tier on the account row (so earns after it use the new multiplier) and records
     * the change (for the members report) and the TIER_CHANGED event in the outbox, atomically. {@code $3} is +1 for an upgrade, -1 for a
     * downgrade: a change in the other direction does nothing.
     */
    private static final String CHANGE_TIER = """
            WITH ranks AS (SELECT ARRAY['BASIC', 'SILVER', 'GOLD'] AS tiers),
            previous AS (SELECT a.tier FROM member_accounts a WHERE a.member_id = $1 FOR UPDATE),
            changed AS (
                UPDATE member_accounts a SET tier = $2, version = a.version + 1, updated_at = now()
                  FROM ranks, previous
                 WHERE a.member_id = $1
                   AND sign(array_position(ranks.tiers, $2::text) - array_position(ranks.tiers, previous.tier)) = $3
                RETURNING a.*, previous.tier AS previous_tier
            ), event AS (
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                SELECT gen_random_uuid(), c.member_id, 'TIER_CHANGED', jsonb_build_object(
                           'schemaVersion', 1, 'eventType', 'TIER_CHANGED', 'memberId', c.member_id,
                           'from', c.previous_tier, 'to', c.tier, 'reason', $4::text, 'changedAt', $5::timestamptz)
                  FROM changed c
            ), history AS (
                INSERT INTO tier_changes (member_id, from_tier, to_tier, reason, changed_at)
                SELECT c.member_id, c.previous_tier, c.tier, $4::text, $5::timestamptz FROM changed c
            )
            SELECT c.member_id, c.tier, c.posted, c.held, c.version,
                   ledger_expiring(c.member_id, $5, $6, $7) AS expiring
              FROM changed c""";

    /**
     * Announces points expiring within the notice period, once per lot: marks up to {@code $2}
     * lots and writes one POINTS_EXPIRING event per member into the outbox, atomically.
     */
    private static final String NOTIFY_EXPIRING = """
            WITH due AS (
                SELECT l.lot_id, l.member_id, l.remaining, l.expires_at FROM point_lots l
                 WHERE l.remaining > 0 AND l.expiring_notified_at IS NULL
                   AND l.expires_at > $1 AND l.expires_at <= $1 + make_interval(days => $3)
                 ORDER BY l.expires_at LIMIT $2
                   FOR UPDATE SKIP LOCKED
            ), marked AS (
                UPDATE point_lots l SET expiring_notified_at = $1 FROM due WHERE l.lot_id = due.lot_id
            ), events AS (
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                SELECT gen_random_uuid(), due.member_id, 'POINTS_EXPIRING', jsonb_build_object(
                           'schemaVersion', 1, 'eventType', 'POINTS_EXPIRING', 'memberId', due.member_id,
                           'points', sum(due.remaining), 'firstExpiresAt', min(due.expires_at),
                           'lots', jsonb_agg(jsonb_build_object('lotId', due.lot_id, 'points', due.remaining,
                                                                'expiresAt', due.expires_at) ORDER BY due.expires_at))
                  FROM due GROUP BY due.member_id
                RETURNING 1
            )
            SELECT count(*) FROM events""";

    /** Pending holds past their expiry, oldest first. */
    private static final String DUE_HOLDS = """
            SELECT hold_id FROM holds WHERE status = 'PENDING' AND expires_at <= $1
             ORDER BY expires_at LIMIT $2""";

    /** The members of the lots longest past their date, at most {@code $2} lots' worth. */
    private static final String MEMBERS_WITH_POINTS_DUE = """
            SELECT DISTINCT due.member_id FROM (
                SELECT l.member_id FROM point_lots l WHERE l.remaining > 0 AND l.expires_at <= $1
                 ORDER BY l.expires_at LIMIT $2) due""";

    private static final String TRANSFER = """
            SELECT t.sequence, t.transfer_id, t.kind, t.points, t.posted_delta, t.held_delta, t.channel, t.order_id,
                   t.related_transfer_id, t.amount_minor_units, t.currency, t.occurred_at, t.recorded_at,
                   t.member_id, t.partner_id, t.reason,
                   (SELECT COALESCE(array_agg(r.transfer_id ORDER BY r.sequence), '{}')
                      FROM transfers r WHERE r.related_transfer_id = t.transfer_id AND r.kind = 'REVERSAL') AS reversals,
                   (SELECT COALESCE(sum(r.points), 0)
                      FROM transfers r WHERE r.related_transfer_id = t.transfer_id AND r.kind = 'REVERSAL') AS reversed_points
              FROM transfers t WHERE t.transfer_id = $1""";

    /** The earns and reversals among the transfers named, whatever their number, in one round trip. */
    private static final String PURCHASES = """
            SELECT transfer_id, kind, member_id, points, COALESCE(amount_minor_units, 0) AS amount, occurred_at,
                   related_transfer_id
              FROM transfers WHERE transfer_id = ANY($1) AND kind IN ('EARN', 'REVERSAL')""";

    /** The distinct SKUs an earn's line items name, as stored with the transfer. */
    private static final String PURCHASED_ITEMS = """
            SELECT t.transfer_id, t.member_id, t.partner_id, t.occurred_at,
                   ARRAY(SELECT line.item ->> 'sku'
                           FROM jsonb_array_elements(COALESCE(t.metadata -> 'items', '[]'::jsonb)) WITH ORDINALITY AS line (item, position)
                          WHERE line.item ->> 'sku' IS NOT NULL
                          GROUP BY line.item ->> 'sku' ORDER BY min(line.position)) AS skus
              FROM transfers t WHERE t.transfer_id = ANY($1) AND t.kind = 'EARN'""";

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
                   COALESCE(sum(t.points - bonus.points) FILTER (WHERE t.kind = 'EARN'), 0) AS issued,
                   COALESCE(sum(bonus.points) FILTER (WHERE t.kind = 'EARN'), 0) AS campaign_bonuses,
                   COALESCE(sum(t.points) FILTER (WHERE t.kind IN ('REDEEM', 'CAPTURE')), 0) AS redeemed,
                   COALESCE(sum(t.posted_delta) FILTER (WHERE t.kind = 'REVERSAL'), 0) AS reversed,
                   COALESCE(sum(t.points) FILTER (WHERE t.kind = 'MIGRATION'), 0) AS migrated,
                   COALESCE(sum(t.points) FILTER (WHERE t.kind = 'REWARD_CLAIM'), 0)
                     - COALESCE(sum(t.points) FILTER (WHERE t.kind = 'REWARD_CANCELLATION'), 0) AS rewards_claimed,
                   COALESCE(sum(t.points) FILTER (WHERE t.kind = 'DONATION'), 0) AS donated,
                   COALESCE(sum(t.posted_delta), 0) AS net,
                   count(*) AS transfers
              FROM transfers t LEFT JOIN partners p USING (partner_id)
             CROSS JOIN LATERAL (
                   SELECT COALESCE(sum((b ->> 'points')::bigint), 0) AS points
                     FROM jsonb_array_elements(CASE WHEN t.kind = 'EARN' THEN t.metadata -> 'bonuses' END) AS b) bonus
             WHERE t.recorded_at >= $1 AND t.recorded_at < $2
             GROUP BY t.partner_id, p.name
             ORDER BY t.partner_id""";

    private static final String MEMBERS_CHECKED = "SELECT count(*) FROM member_accounts";

    /**
     * Every cause's account against its entries (what it was given and matched), and its entries
     * against the members' DONATION transfers, which record each donation and the match it got.
     */
    private static final String CAUSE_MISMATCHES = """
            WITH entries AS (
                SELECT cause_id, sum(points) FILTER (WHERE kind = 'DONATION') AS donated,
                       sum(points) FILTER (WHERE kind = 'MATCH') AS matched
                  FROM cause_entries GROUP BY cause_id
            ), paid AS (
                SELECT (metadata ->> 'causeId')::uuid AS cause_id, sum(points) AS donated,
                       sum((metadata ->> 'matchedPoints')::bigint) AS matched
                  FROM transfers WHERE kind = 'DONATION' GROUP BY 1
            ), compared AS (
                SELECT c.cause_id, c.balance, c.donated AS account_donated, c.matched AS account_matched,
                       COALESCE(e.donated, 0) AS entries_donated, COALESCE(e.matched, 0) AS entries_matched,
                       COALESCE(p.donated, 0) AS transfers_donated, COALESCE(p.matched, 0) AS transfers_matched
                  FROM causes c LEFT JOIN entries e USING (cause_id) LEFT JOIN paid p USING (cause_id)
            )
            SELECT * FROM compared
             WHERE balance <> account_donated + account_matched OR account_donated <> entries_donated
                OR account_matched <> entries_matched OR entries_donated <> transfers_donated
                OR entries_matched <> transfers_matched
             ORDER BY cause_id""";

    /**
     * One statement, so one snapshot: a write landing meanwhile cannot show as a false mismatch.
     * Checks, per account: posted and held equal the sums of the transfers' effects; held equals
     * the open holds; lot remainders equal the posted balance (or zero while it is negative); and
     * the lots and their movements agree with each other and with the transfers they derive from
     * (each lot's remainder is its credited points plus its movements; every lot and movement has
     * its transfer, of the same member; every movement has its lot, and names its member), which the schema does not
     * check with foreign keys (V15).
     */
    private static final String MISMATCHES = """
            WITH sums AS (
                SELECT member_id, sum(posted_delta) AS posted, sum(held_delta) AS held FROM transfers GROUP BY member_id
            ), open_holds AS (
                SELECT member_id, sum(points) AS held FROM holds WHERE status = 'PENDING' GROUP BY member_id
            ), lots AS (
                SELECT member_id, sum(remaining) AS remaining FROM point_lots GROUP BY member_id
            ), lot_discrepancies AS (
                SELECT member_id, count(*) AS found FROM (
                    SELECT l.member_id
                      FROM point_lots l
                      LEFT JOIN (SELECT lot_id, sum(points) AS points FROM lot_movements GROUP BY lot_id) m USING (lot_id)
                      LEFT JOIN transfers t ON t.transfer_id = l.source_transfer_id
                     WHERE l.remaining <> COALESCE(l.credited, 0) + COALESCE(m.points, 0)
                        OR t.member_id IS DISTINCT FROM l.member_id
                    UNION ALL
                    SELECT COALESCE(t.member_id, l.member_id)
                      FROM lot_movements mv
                      LEFT JOIN point_lots l ON l.lot_id = mv.lot_id
                      LEFT JOIN transfers t ON t.transfer_id = mv.transfer_id
                     WHERE l.lot_id IS NULL OR t.transfer_id IS NULL OR t.member_id <> l.member_id
                        OR mv.member_id <> l.member_id
                ) discrepancy GROUP BY member_id
            ), compared AS (
                SELECT a.member_id, a.posted AS account_posted, COALESCE(s.posted, 0) AS transfers_posted,
                       a.held AS account_held, COALESCE(s.held, 0) AS transfers_held,
                       COALESCE(h.held, 0) AS open_holds, COALESCE(l.remaining, 0) AS lot_remainders,
                       COALESCE(d.found, 0) AS lot_discrepancies
                  FROM member_accounts a
                  LEFT JOIN sums s USING (member_id)
                  LEFT JOIN open_holds h USING (member_id)
                  LEFT JOIN lots l USING (member_id)
                  LEFT JOIN lot_discrepancies d USING (member_id)
                 WHERE a.posted <> COALESCE(s.posted, 0) OR a.held <> COALESCE(s.held, 0)
                    OR a.held <> COALESCE(h.held, 0) OR COALESCE(l.remaining, 0) <> GREATEST(a.posted, 0)
                    OR d.found > 0
            )
            SELECT *, count(*) OVER () AS mismatch_count FROM compared ORDER BY member_id LIMIT $1""";

    private static final String PURGE_IDEMPOTENCY_KEYS = """
            DELETE FROM idempotency_keys
             WHERE ctid = ANY (ARRAY (SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT $1))""";

    private static final String MIGRATIONS = """
            SELECT member_id, points, idempotency_key FROM transfers WHERE member_id = ANY($1) AND kind = 'MIGRATION'""";

    private final Pool pool;
    private final Duration roundTripTimeout;

    LedgerRepository(Pool pool, DatabaseConfig database) {
        this.pool = pool;
        this.roundTripTimeout = database.roundTripTimeout();
    }

    /** The account with its expiring points, or null when no such member exists. */
    Uni<Balance> account(UUID memberId, OffsetDateTime now, int expiringWindowDays, String timeZone) {
        return bounded(pool.preparedQuery(ACCOUNT).execute(Tuple.of(memberId, now, expiringWindowDays, timeZone)))
                .map(rows -> rows.size() == 0 ? null : toBalance(rows.iterator().next()));
    }

    /** The account after the change, or null when the tier did not move in that direction. */
    Uni<Balance> changeTier(SqlClient transaction, UUID memberId, Tier tier, int direction, String reason,
            OffsetDateTime now, int expiringWindowDays, String timeZone) {
        return transaction.preparedQuery(CHANGE_TIER)
                .execute(Tuple.tuple().addUUID(memberId).addString(tier.name()).addInteger(direction).addString(reason)
                        .addOffsetDateTime(now).addInteger(expiringWindowDays).addString(timeZone))
                .map(rows -> rows.size() == 0 ? null : toBalance(rows.iterator().next()));
    }

    /** Announces one batch of soon-expiring lots; the number of members notified. */
    Uni<Long> notifyExpiring(OffsetDateTime now, int batchSize, int noticeDays) {
        return pool.preparedQuery(NOTIFY_EXPIRING).execute(Tuple.of(now, batchSize, noticeDays))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Up to {@code batchSize} pending holds past their expiry. */
    Uni<List<UUID>> dueHolds(OffsetDateTime now, int batchSize) {
        return pool.preparedQuery(DUE_HOLDS).execute(Tuple.of(now, batchSize)).map(rows -> {
            List<UUID> holds = new ArrayList<>(rows.size());
            rows.forEach(row -> holds.add(row.getUUID("hold_id")));
            return holds;
        });
    }

    /** Members with points past their date, from up to {@code batchSize} of the oldest such lots. */
    Uni<List<UUID>> membersWithPointsDue(OffsetDateTime now, int batchSize) {
        return pool.preparedQuery(MEMBERS_WITH_POINTS_DUE).execute(Tuple.of(now, batchSize)).map(rows -> {
            List<UUID> members = new ArrayList<>(rows.size());
            rows.forEach(row -> members.add(row.getUUID("member_id")));
            return members;
        });
    }

    /** One transfer with the reversals made of it, or null. */
    Uni<TransferDetail> transfer(UUID transferId) {
        return pool.preparedQuery(TRANSFER).execute(Tuple.of(transferId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new TransferDetail(toView(row), row.getUUID("member_id"), row.getString("partner_id"),
                    row.getString("reason"), List.of(row.getArrayOfUUIDs("reversals")), row.getLong("reversed_points"));
        });
    }

    /** The earns and reversals among {@code transferIds}, each counting its whole amount for now. */
    Uni<List<Purchase>> purchases(List<UUID> transferIds) {
        return bounded(pool.preparedQuery(PURCHASES).execute(Tuple.of(transferIds.toArray(UUID[]::new)))).map(rows -> {
            List<Purchase> purchases = new ArrayList<>(rows.size());
            rows.forEach(row -> purchases.add(new Purchase(row.getUUID("transfer_id"), TransferKind.valueOf(row.getString("kind")),
                    row.getUUID("member_id"), row.getLong("points"), row.getLong("amount"), row.getLong("amount"),
                    row.getOffsetDateTime("occurred_at"), row.getUUID("related_transfer_id"))));
            return purchases;
        });
    }

    Uni<List<PurchasedItems>> purchasedItems(List<UUID> transferIds) {
        return bounded(pool.preparedQuery(PURCHASED_ITEMS).execute(Tuple.of(transferIds.toArray(UUID[]::new)))).map(rows -> {
            List<PurchasedItems> purchases = new ArrayList<>(rows.size());
            rows.forEach(row -> purchases.add(new PurchasedItems(row.getUUID("transfer_id"), row.getUUID("member_id"),
                    row.getString("partner_id"), row.getOffsetDateTime("occurred_at"), List.of(row.getArrayOfStrings("skus")))));
            return purchases;
        });
    }

    /** Up to {@code limit} transfers with a sequence below {@code beforeSequence}, newest first. */
    Uni<List<HistoryRow>> history(UUID memberId, String partnerId, long beforeSequence, int limit) {
        return pool.preparedQuery(HISTORY).execute(Tuple.of(memberId, beforeSequence, limit, partnerId))
                .map(LedgerRepository::toHistory);
    }

    /**
     * The transfers the operator wrote under these keys, each for its member: the transfer keeps
     * its key for good, after the key's stored answer is purged. The {@code = ANY} lets a generic
     * plan probe the member's transfers by index.
     */
    private static final String WRITTEN_UNDER = """
            SELECT t.member_id, t.idempotency_key, t.transfer_id FROM transfers t
              JOIN unnest($1::uuid[], $2::text[]) AS k (member_id, idempotency_key)
                ON t.member_id = k.member_id AND t.idempotency_key = k.idempotency_key
             WHERE t.member_id = ANY($1::uuid[]) AND t.partner_id = $3""";

    Uni<Map<List<Object>, UUID>> writtenUnder(List<UUID> memberIds, List<String> keys, String partnerId) {
        return pool.preparedQuery(WRITTEN_UNDER).execute(Tuple.of(memberIds.toArray(UUID[]::new), keys.toArray(String[]::new), partnerId))
                .map(rows -> {
                    Map<List<Object>, UUID> written = new java.util.HashMap<>();
                    rows.forEach(row -> written.put(List.of(row.getUUID("member_id"), row.getString("idempotency_key")),
                            row.getUUID("transfer_id")));
                    return written;
                });
    }

    /** Each member's MIGRATION: its points and the idempotency key it was written under (null for one written without). */
    Uni<Map<UUID, LedgerService.Migration>> migrations(List<UUID> memberIds) {
        return pool.preparedQuery(MIGRATIONS).execute(Tuple.of(memberIds.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, LedgerService.Migration> migrations = new java.util.HashMap<>();
            rows.forEach(row -> migrations.put(row.getUUID("member_id"),
                    new LedgerService.Migration(row.getLong("points"), row.getString("idempotency_key"))));
            return migrations;
        });
    }

    Uni<List<SettlementReport.PartnerSettlement>> settlement(OffsetDateTime from, OffsetDateTime to) {
        return pool.preparedQuery(SETTLEMENT).execute(Tuple.of(from, to)).map(rows -> {
            List<SettlementReport.PartnerSettlement> partners = new ArrayList<>();
            for (Row row : rows) {
                partners.add(new SettlementReport.PartnerSettlement(row.getString("partner_id"), row.getString("name"),
                        row.getLong("issued"), row.getLong("campaign_bonuses"), row.getLong("redeemed"), row.getLong("reversed"),
                        row.getLong("migrated"), row.getLong("rewards_claimed"), row.getLong("donated"), row.getLong("net"),
                        row.getLong("transfers")));
            }
            return partners;
        });
    }

    /** In a transaction of its own, whose statements may run for {@code timeout} rather than the pool's statement timeout. */
    Uni<ReconciliationReport> reconcile(int mismatchesListedMax, Duration timeout) {
        return pool.withTransaction(connection -> connection
                .query("SET LOCAL statement_timeout = " + timeout.toMillis()).execute()
                .chain(() -> reconcile(connection, mismatchesListedMax)));
    }

    private static Uni<ReconciliationReport> reconcile(SqlConnection connection, int mismatchesListedMax) {
        Uni<Long> checked = connection.query(MEMBERS_CHECKED).execute().map(rows -> rows.iterator().next().getLong(0));
        Uni<RowSet<Row>> mismatches = connection.preparedQuery(MISMATCHES).execute(Tuple.of(mismatchesListedMax));
        Uni<Long> causesChecked = connection.query("SELECT count(*) FROM causes").execute()
                .map(rows -> rows.iterator().next().getLong(0));
        Uni<List<ReconciliationReport.CauseMismatch>> causeMismatches = connection.query(CAUSE_MISMATCHES).execute()
                .map(rows -> {
                    List<ReconciliationReport.CauseMismatch> listed = new ArrayList<>();
                    rows.forEach(row -> listed.add(new ReconciliationReport.CauseMismatch(row.getUUID("cause_id"),
                            row.getLong("balance"), row.getLong("account_donated"), row.getLong("account_matched"),
                            row.getLong("entries_donated"), row.getLong("entries_matched"), row.getLong("transfers_donated"),
                            row.getLong("transfers_matched"))));
                    return listed;
                });
        return Uni.combine().all().unis(checked, mismatches, causesChecked, causeMismatches)
                .with((count, rows, causeCount, causeRows) -> {
            List<ReconciliationReport.Mismatch> listed = new ArrayList<>();
            long mismatchCount = 0;
            for (Row row : rows) {
                mismatchCount = row.getLong("mismatch_count");
                listed.add(new ReconciliationReport.Mismatch(row.getUUID("member_id"),
                        row.getLong("account_posted"), row.getLong("transfers_posted"),
                        row.getLong("account_held"), row.getLong("transfers_held"),
                        row.getLong("open_holds"), row.getLong("lot_remainders"), row.getLong("lot_discrepancies")));
            }
            return new ReconciliationReport(count, mismatchCount, listed, causeCount, causeRows);
        });
    }

    /** Deletes at most {@code batchSize} expired idempotency keys; answers how many went. */
    Uni<Integer> purgeExpiredIdempotencyKeys(int batchSize) {
        return pool.preparedQuery(PURGE_IDEMPOTENCY_KEYS).execute(Tuple.of(batchSize)).map(RowSet::rowCount);
    }

    /**
     * The pool itself no longer bounds the wait for a connection (see DatabasePoolCreator), so the
     * hot paths bound their whole round trip; a TimeoutException answers 503.
     */
    private Uni<RowSet<Row>> bounded(Uni<RowSet<Row>> roundTrip) {
        return roundTrip.ifNoItem().after(roundTripTimeout).fail();
    }

    private static Balance toBalance(Row row) {
        return Balance.of(row.getUUID("member_id"), Tier.valueOf(row.getString("tier")),
                row.getLong("posted"), row.getLong("held"), row.getLong("version"), expiring(row.getJsonArray("expiring")));
    }

    /** The {@code [{date, points}]} JSON that ledger_expiring builds (also what the cache keeps). */
    static List<ExpiringPoints> expiring(JsonArray json) {
        if (json == null) {
            return List.of();
        }
        List<ExpiringPoints> expiring = new ArrayList<>(json.size());
        for (int index = 0; index < json.size(); index++) {
            JsonObject entry = json.getJsonObject(index);
            expiring.add(new ExpiringPoints(java.time.LocalDate.parse(entry.getString("date")), entry.getLong("points")));
        }
        return expiring;
    }

    private static List<HistoryRow> toHistory(RowSet<Row> rows) {
        List<HistoryRow> history = new ArrayList<>(rows.size());
        for (Row row : rows) {
            history.add(new HistoryRow(row.getLong("sequence"), toView(row)));
        }
        return history;
    }

    private static TransferView toView(Row row) {
        Long amount = row.getLong("amount_minor_units");
        Money money = amount == null ? null : new Money(amount, row.getString("currency"));
        return new TransferView(
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
                row.getOffsetDateTime("recorded_at"));
    }

    /** A history entry with the sequence the next page's cursor is made of. */
    record HistoryRow(long sequence, TransferView transfer) {
    }
}
