package io.pointsledger.ledger;

import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The SQL of the write path, which decides nothing: it locks and reads what {@link WriteDecider}
 * decides on, and applies what it decided, every table once per batch, with typed array
 * parameters ({@code unnest}) instead of a JSON document to parse.
 */
@ApplicationScoped
class LedgerWriteRepository {

    /** Before any lock: whose hold or transfer a capture, void or reversal names. */
    private static final String TARGETS = """
            SELECT transfer_id, kind, member_id, partner_id FROM transfers WHERE transfer_id = ANY($1)""";

    /**
     * Every account of the batch, locked in member order: batches, whatever their members,
     * cannot deadlock each other or the member-ordered jobs.
     */
    private static final String LOCK_ACCOUNTS = """
            SELECT member_id, tier, posted, held, version FROM member_accounts
             WHERE member_id = ANY($1) ORDER BY member_id FOR UPDATE""";

    /**
     * The budgets the batch's earns may spend from, locked after the accounts and in campaign
     * order: batches sharing a budget take their turns on it, and cannot deadlock on it.
     */
    private static final String LOCK_BUDGETS = """
            SELECT campaign_id, granted FROM campaign_budgets
             WHERE campaign_id = ANY($1) ORDER BY campaign_id FOR UPDATE""";

    /** Before any lock: the rewards of the claims being cancelled (a claim's reward never changes). */
    private static final String REWARDS_OF_CLAIMS = """
            SELECT claim_id, reward_id FROM reward_claims WHERE claim_id = ANY($1)""";

    /**
     * The rewards the batch's claims and cancellations name, locked after the accounts and the
     * budgets, in reward order: batches claiming one reward take their turns on its row, and each
     * decides all of its own claims of it on one read, so a popular reward costs one lock and one
     * update per batch, not per claim.
     */
    private static final String LOCK_REWARDS = """
            SELECT reward_id, name, kind, status, points, points_by_tier::text AS points_by_tier, eligible_tiers, stock,
                   per_member_limit, available_from, available_until, starts_at, cancellable_until
              FROM rewards WHERE reward_id = ANY($1) ORDER BY reward_id FOR UPDATE""";

    /** The causes the batch's donations name, locked after the rewards, in cause order. */
    private static final String LOCK_CAUSES = """
            SELECT cause_id, status, match_rate_basis_points, match_budget, matched
              FROM causes WHERE cause_id = ANY($1) ORDER BY cause_id FOR UPDATE""";

    /**
     * The claims being cancelled, locked last: a fulfilment (which locks only the claim) waits for
     * the cancellation to commit and then finds it cancelled, or the other way round.
     */
    private static final String LOCK_CLAIMS = """
            SELECT claim_id, member_id, reward_id, partner_id, points, status
              FROM reward_claims WHERE claim_id = ANY($1) AND member_id = ANY($2) ORDER BY claim_id FOR UPDATE""";

    /**
     * Under the accounts' locks: each claiming member's claims of the rewards claimed that count
     * toward a per-member limit. The partial index's predicate is repeated word for word.
     */
    private static final String ACTIVE_CLAIMS = """
            SELECT member_id, reward_id, count(*) AS claims FROM reward_claims
             WHERE member_id = ANY($1) AND reward_id = ANY($2) AND status <> 'CANCELLED'
             GROUP BY member_id, reward_id""";

    /**
     * Sent right behind {@code APPLY}, in the same transaction, only by a batch with a claim, a
     * cancellation or a donation. A stock of NULL (no limit) stays NULL.
     */
    private static final String APPLY_REWARDS = """
            WITH claims_made AS (
                INSERT INTO reward_claims (claim_id, member_id, reward_id, partner_id, points, status, claimed_at)
                SELECT c.claim_id, c.member_id, c.reward_id, c.partner_id, c.points, 'CLAIMED', c.claimed_at
                  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::bigint[], $6::timestamptz[])
                       AS c (claim_id, member_id, reward_id, partner_id, points, claimed_at)
            ), claims_cancelled AS (
                UPDATE reward_claims r SET status = 'CANCELLED', cancelled_at = c.cancelled_at,
                                           cancellation_transfer_id = c.transfer_id
                  FROM unnest($7::uuid[], $8::uuid[], $9::timestamptz[], $10::uuid[])
                       AS c (claim_id, member_id, cancelled_at, transfer_id)
                 WHERE r.claim_id = c.claim_id AND r.member_id = c.member_id
            ), stock_changed AS (
                UPDATE rewards w SET stock = w.stock + s.stock_change, claimed = w.claimed + s.claimed_change,
                                     updated_at = now()
                  FROM unnest($11::uuid[], $12::bigint[], $13::bigint[]) AS s (reward_id, stock_change, claimed_change)
                 WHERE w.reward_id = s.reward_id
            ), causes_credited AS (
                UPDATE causes k SET donated = k.donated + c.donated, matched = k.matched + c.matched,
                                    balance = k.balance + c.donated + c.matched, updated_at = now()
                  FROM unnest($14::uuid[], $15::bigint[], $16::bigint[]) AS c (cause_id, donated, matched)
                 WHERE k.cause_id = c.cause_id
            ), entries AS (
                INSERT INTO cause_entries (transfer_id, member_id, kind, cause_id, points, occurred_at)
                SELECT * FROM unnest($17::uuid[], $18::uuid[], $19::text[], $20::uuid[], $21::bigint[], $22::timestamptz[])
            )
            SELECT 1""";

    /** Under the accounts' locks: only this batch can change these rows before it commits. */
    private static final String MEMBER_GRANTS = """
            SELECT member_id, campaign_id, granted FROM campaign_member_grants
             WHERE member_id = ANY($1) AND campaign_id = ANY($2)""";

    /** Under the accounts' locks, like {@link #MEMBER_GRANTS}. */
    private static final String OCCASIONS = """
            SELECT member_id, campaign_id, occasion FROM campaign_occasions
             WHERE member_id = ANY($1) AND campaign_id = ANY($2)""";

    /**
     * Whether each member a MIGRATION or a past purchase's earn names has an opening balance, and
     * whether the points of past purchases were posted to them: read under the accounts' locks.
     * Each EXISTS is a probe of its own partial index (V35), whose predicate it repeats word for
     * word (the operator, HistoricalEarn.KEY_PREFIX) so that a generic plan can use it: without
     * them, each would read every transfer of the member.
     */
    private static final String PAST_CAME_OVER = """
            SELECT m.member_id,
                   EXISTS (SELECT 1 FROM transfers t WHERE t.member_id = m.member_id AND t.kind = 'MIGRATION') AS migrated,
                   EXISTS (SELECT 1 FROM transfers t WHERE t.member_id = m.member_id AND t.kind = 'EARN'
                              AND t.partner_id = 'operator' AND t.idempotency_key LIKE 'purchase-history:%') AS history_posted
              FROM unnest($1::uuid[]) AS m (member_id)""";

    /** Which members earned on a purchase before (an earn with an amount; a bonus-only earn has none). */
    private static final String PURCHASED_BEFORE = """
            SELECT m.member_id FROM unnest($1::uuid[]) AS m (member_id)
             WHERE EXISTS (SELECT 1 FROM transfers t
                            WHERE t.member_id = m.member_id AND t.kind = 'EARN' AND t.amount_minor_units > 0)""";

    /**
     * Sent right behind {@code APPLY}, in the same transaction, only by a batch that granted limited
     * bonuses or exposed members to an A/B test.
     */
    private static final String APPLY_GRANTS = """
            WITH occasions AS (
                INSERT INTO campaign_occasions (member_id, campaign_id, occasion)
                SELECT * FROM unnest($6::uuid[], $7::uuid[], $8::text[])
            ), exposures AS (
                -- The variant and time of the first exposure stay; the points granted add up.
                INSERT INTO campaign_exposures AS x (member_id, campaign_id, variant, exposed_at, bonus_points)
                SELECT * FROM unnest($9::uuid[], $10::uuid[], $11::text[], $12::timestamptz[], $13::bigint[])
                    ON CONFLICT (member_id, campaign_id) DO UPDATE SET bonus_points = x.bonus_points + excluded.bonus_points
            ), budgets AS (
                UPDATE campaign_budgets b SET granted = b.granted + g.points, updated_at = now()
                  FROM unnest($1::uuid[], $2::bigint[]) AS g (campaign_id, points)
                 WHERE b.campaign_id = g.campaign_id
            ), member_grants AS (
                INSERT INTO campaign_member_grants AS m (member_id, campaign_id, granted)
                SELECT * FROM unnest($3::uuid[], $4::uuid[], $5::bigint[])
                    ON CONFLICT (member_id, campaign_id)
                    DO UPDATE SET granted = m.granted + excluded.granted, updated_at = now()
            )
            SELECT 1""";

    private static final String ANSWERS = """
            SELECT k.partner_id, k.idempotency_key, k.member_id, k.request_fingerprint, k.response_status,
                   k.response_body::text AS body
              FROM unnest($1::text[], $2::text[], $3::uuid[]) AS asked (partner_id, idempotency_key, member_id)
              JOIN idempotency_keys k USING (partner_id, idempotency_key, member_id)""";

    /**
     * The lots the decisions may touch: every member's lots within the expiring window (what the
     * balance lists as expiring, a prefix of the oldest-first order), and, for each member the
     * batch debits, the oldest lots until they cover what the batch may take ({@code $4}, or the
     * hold's points for a capture without an amount; all the member's lots when neither is
     * known, as for a reversal, which prefers the lot its earn created). Walked one lot at a time
     * along the member's oldest-first index, so a member with many lots reads only those needed.
     */
    private static final String LOTS = """
            WITH RECURSIVE needs AS (
                SELECT n.member_id,
                       CASE WHEN bool_or(n.points IS NULL AND h.points IS NULL) THEN NULL
                            ELSE sum(COALESCE(n.points, h.points)) END AS wanted
                  FROM unnest($3::uuid[], $4::bigint[], $5::uuid[]) AS n (member_id, points, hold_id)
                  LEFT JOIN holds h ON h.hold_id = n.hold_id AND h.member_id = n.member_id
                 GROUP BY n.member_id
            ), walked (lot_id, member_id, source_transfer_id, expires_at, remaining, wanted, before) AS (
                SELECT first_lot.*, n.wanted, 0::bigint
                  FROM needs n
                 CROSS JOIN LATERAL (
                       SELECT l.lot_id, l.member_id, l.source_transfer_id, l.expires_at, l.remaining FROM point_lots l
                        WHERE l.member_id = n.member_id AND l.remaining > 0
                        ORDER BY l.expires_at, l.lot_id LIMIT 1) first_lot
                UNION ALL
                SELECT next_lot.*, w.wanted, w.before + w.remaining
                  FROM walked w
                 CROSS JOIN LATERAL (
                       SELECT l.lot_id, l.member_id, l.source_transfer_id, l.expires_at, l.remaining FROM point_lots l
                        WHERE l.member_id = w.member_id AND l.remaining > 0
                          AND (l.expires_at, l.lot_id) > (w.expires_at, w.lot_id)
                        ORDER BY l.expires_at, l.lot_id LIMIT 1) next_lot
                 WHERE w.wanted IS NULL OR w.before + w.remaining < w.wanted
            )
            SELECT lot_id, member_id, source_transfer_id, expires_at, remaining FROM walked
            UNION
            SELECT lot_id, member_id, source_transfer_id, expires_at, remaining FROM point_lots
             WHERE member_id = ANY($1) AND remaining > 0 AND expires_at <= $2""";

    private static final String HOLDS = """
            SELECT hold_id, member_id, partner_id, points, status, captured_points, order_id, channel, expires_at
              FROM holds WHERE hold_id = ANY($1) AND member_id = ANY($2)""";

    private static final String ORIGINALS = """
            SELECT t.transfer_id, t.kind, t.member_id, t.partner_id, t.points, t.channel, t.order_id,
                   (SELECT COALESCE(sum(r.points), 0) FROM transfers r
                     WHERE r.related_transfer_id = t.transfer_id AND r.kind = 'REVERSAL') AS reversed
              FROM transfers t WHERE t.transfer_id = ANY($1) AND t.member_id = ANY($2)""";

    /**
     * Per original and lot: what the original spent there and its reversals did not give back yet.
     * Only a debit spent lots; a credit's lot holds its points as the lot's own {@code credited},
     * not as a movement, so a credit and its reversals are left out rather than summed half.
     */
    private static final String RESTORABLE = """
            WITH debits AS (
                SELECT transfer_id, member_id FROM transfers
                 WHERE transfer_id = ANY($1) AND member_id = ANY($2) AND posted_delta < 0
            )
            SELECT moved.original_id, l.lot_id, l.member_id, l.source_transfer_id, l.expires_at, l.remaining,
                   -sum(m.points) AS restorable
              FROM (SELECT d.transfer_id AS original_id, d.transfer_id, d.member_id FROM debits d
                    UNION ALL
                    SELECT r.related_transfer_id, r.transfer_id, r.member_id FROM transfers r
                     WHERE r.related_transfer_id IN (SELECT transfer_id FROM debits) AND r.member_id = ANY($2)
                       AND r.kind = 'REVERSAL') moved
              JOIN lot_movements m ON m.transfer_id = moved.transfer_id AND m.member_id = moved.member_id
              JOIN point_lots l ON l.lot_id = m.lot_id AND l.member_id = m.member_id
             GROUP BY moved.original_id, l.lot_id, l.member_id
            HAVING -sum(m.points) > 0""";

    /**
     * Writes a decided batch. The rows of one statement are checked against each other's foreign
     * keys at its end, so transfers and the holds they create go in side by side. A lot records
     * the points its transfer credited ({@code credited}); movements are the later changes of a
     * lot, by other transfers, and name a lot created in the same batch by its source transfer.
     * An idempotency key stored meanwhile by another transaction fails the statement (unique
     * violation): the batch is then read and decided again. {@code $61} and {@code $62}, the
     * members of the answers and of the movements, came after the others.
     */
    private static final String APPLY = """
            WITH transfers_written AS (
                INSERT INTO transfers (transfer_id, kind, member_id, points, posted_delta, held_delta, partner_id, channel,
                                       order_id, idempotency_key, related_transfer_id, amount_minor_units, currency,
                                       occurred_at, recorded_at, reason, metadata)
                SELECT t.transfer_id, t.kind, t.member_id, t.points, t.posted_delta, t.held_delta, t.partner_id, t.channel,
                       t.order_id, t.idempotency_key, t.related_transfer_id, t.amount, t.currency, t.occurred_at,
                       t.recorded_at, t.reason, t.metadata::jsonb
                  FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[],
                              $8::text[], $9::text[], $10::text[], $11::uuid[], $12::bigint[], $13::text[],
                              $14::timestamptz[], $15::timestamptz[], $16::text[], $17::text[]) WITH ORDINALITY
                       AS t (transfer_id, kind, member_id, points, posted_delta, held_delta, partner_id, channel, order_id,
                             idempotency_key, related_transfer_id, amount, currency, occurred_at, recorded_at, reason,
                             metadata, position)
                 ORDER BY t.position
            ), lots_created AS (
                INSERT INTO point_lots (member_id, source_transfer_id, expires_at, remaining, credited)
                SELECT * FROM unnest($18::uuid[], $19::uuid[], $20::timestamptz[], $21::bigint[], $22::bigint[])
                RETURNING lot_id, source_transfer_id
            ), lots_changed AS (
                UPDATE point_lots l SET remaining = l.remaining + c.change
                  FROM unnest($23::bigint[], $24::bigint[]) AS c (lot_id, change)
                 WHERE l.lot_id = c.lot_id AND l.member_id = ANY($42)
            ), movements AS (
                INSERT INTO lot_movements (transfer_id, member_id, lot_id, points)
                SELECT m.transfer_id, m.member_id, COALESCE(m.lot_id, created.lot_id), m.points
                  FROM unnest($25::uuid[], $62::uuid[], $26::bigint[], $27::uuid[], $28::bigint[])
                       AS m (transfer_id, member_id, lot_id, new_lot_source, points)
                  LEFT JOIN lots_created created ON created.source_transfer_id = m.new_lot_source
            ), holds_placed AS (
                INSERT INTO holds (hold_id, member_id, partner_id, points, status, order_id, channel, expires_at, created_at)
                SELECT h.hold_id, h.member_id, h.partner_id, h.points, 'PENDING', h.order_id, h.channel, h.expires_at,
                       h.created_at
                  FROM unnest($29::uuid[], $30::uuid[], $31::text[], $32::bigint[], $33::text[], $34::text[],
                              $35::timestamptz[], $36::timestamptz[])
                       AS h (hold_id, member_id, partner_id, points, order_id, channel, expires_at, created_at)
            ), holds_resolved AS (
                UPDATE holds h SET status = r.status, captured_points = r.captured_points, resolved_at = r.resolved_at,
                                   resolved_by_transfer_id = r.resolved_by
                  FROM unnest($37::uuid[], $38::text[], $39::bigint[], $40::timestamptz[], $41::uuid[])
                       AS r (hold_id, status, captured_points, resolved_at, resolved_by)
                 WHERE h.hold_id = r.hold_id AND h.member_id = ANY($42)
            ), accounts_updated AS (
                UPDATE member_accounts a SET posted = u.posted, held = u.held, version = u.version, updated_at = now()
                  FROM unnest($42::uuid[], $43::bigint[], $44::bigint[], $45::bigint[]) AS u (member_id, posted, held, version)
                 WHERE a.member_id = u.member_id
            ), answers AS (
                INSERT INTO idempotency_keys (partner_id, idempotency_key, member_id, request_fingerprint,
                                              response_status, response_body, expires_at)
                SELECT k.partner_id, k.idempotency_key, k.member_id, k.fingerprint, k.status, k.body::jsonb,
                       now() + make_interval(secs => $51)
                  FROM unnest($46::text[], $47::text[], $61::uuid[], $48::bytea[], $49::integer[], $50::text[])
                       AS k (partner_id, idempotency_key, member_id, fingerprint, status, body)
                 -- In key order: two batches sharing keys then wait on the first shared one and the
                 -- second gets a unique violation (read again, decided again) instead of a deadlock.
                 ORDER BY k.partner_id, k.idempotency_key, k.member_id
            ), events AS (
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                SELECT e.event_id, e.member_id, e.event_type, e.payload::jsonb
                  FROM unnest($52::uuid[], $53::uuid[], $54::text[], $55::text[]) WITH ORDINALITY
                       AS e (event_id, member_id, event_type, payload, position)
                 ORDER BY e.position
            ), audits AS (
                INSERT INTO audit_log (actor, api_key_id, action, target, details)
                SELECT a.actor, a.api_key_id, a.action, a.target, a.details::jsonb
                  FROM unnest($56::text[], $57::uuid[], $58::text[], $59::text[], $60::text[])
                       AS a (actor, api_key_id, action, target, details)
            )
            SELECT 1""";

    Uni<Map<UUID, LedgerState.Target>> targets(SqlConnection connection, Collection<UUID> targetIds) {
        if (targetIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return connection.preparedQuery(TARGETS).execute(Tuple.of(targetIds.toArray(UUID[]::new)))
                .map(rows -> toMap(rows, row -> new LedgerState.Target(row.getUUID("transfer_id"),
                        TransferKind.valueOf(row.getString("kind")), row.getUUID("member_id"), row.getString("partner_id")),
                        LedgerState.Target::targetId));
    }

    Uni<Map<UUID, LedgerState.Account>> lockAccounts(SqlConnection connection, Collection<UUID> memberIds) {
        return connection.preparedQuery(LOCK_ACCOUNTS).execute(Tuple.of(memberIds.toArray(UUID[]::new)))
                .map(rows -> toMap(rows, row -> new LedgerState.Account(row.getUUID("member_id"),
                        Tier.valueOf(row.getString("tier")), row.getLong("posted"), row.getLong("held"), row.getLong("version")),
                        LedgerState.Account::memberId));
    }

    /**
     * The budgets of {@code budgeted} campaigns, locked; what {@code memberIds} were granted of
     * {@code capped} ones and the occasions {@code once} ones rewarded them for; which of
     * {@code buyers} bought before: queued right behind the accounts' lock, like {@link #read}.
     */
    Uni<BonusState> readBonusState(SqlConnection connection, Collection<UUID> memberIds, Set<UUID> budgeted,
            Set<UUID> capped, Set<UUID> once, Set<UUID> buyers) {
        Uni<Map<UUID, Long>> budgets = budgeted.isEmpty() ? Uni.createFrom().item(Map.of())
                : connection.preparedQuery(LOCK_BUDGETS).execute(Tuple.of(budgeted.toArray(UUID[]::new))).map(rows -> {
                    Map<UUID, Long> granted = new HashMap<>();
                    rows.forEach(row -> granted.put(row.getUUID("campaign_id"), row.getLong("granted")));
                    return granted;
                });
        Uni<Map<LedgerState.CampaignMember, Long>> grants = capped.isEmpty() ? Uni.createFrom().item(Map.of())
                : connection.preparedQuery(MEMBER_GRANTS)
                        .execute(Tuple.of(memberIds.toArray(UUID[]::new), capped.toArray(UUID[]::new))).map(rows -> {
                            Map<LedgerState.CampaignMember, Long> granted = new HashMap<>();
                            rows.forEach(row -> granted.put(
                                    new LedgerState.CampaignMember(row.getUUID("member_id"), row.getUUID("campaign_id")),
                                    row.getLong("granted")));
                            return granted;
                        });
        Uni<Set<LedgerState.Occasion>> occasions = once.isEmpty() ? Uni.createFrom().item(Set.of())
                : connection.preparedQuery(OCCASIONS)
                        .execute(Tuple.of(memberIds.toArray(UUID[]::new), once.toArray(UUID[]::new))).map(rows -> {
                            Set<LedgerState.Occasion> rewarded = new HashSet<>();
                            rows.forEach(row -> rewarded.add(new LedgerState.Occasion(row.getUUID("member_id"),
                                    row.getUUID("campaign_id"), row.getString("occasion"))));
                            return rewarded;
                        });
        Uni<Set<UUID>> purchasedBefore = buyers.isEmpty() ? Uni.createFrom().item(Set.of())
                : connection.preparedQuery(PURCHASED_BEFORE).execute(Tuple.of(buyers.toArray(UUID[]::new))).map(rows -> {
                    Set<UUID> members = new HashSet<>();
                    rows.forEach(row -> members.add(row.getUUID("member_id")));
                    return members;
                });
        return Uni.combine().all().unis(budgets, grants, occasions, purchasedBefore)
                .with((budgetsGranted, memberGrants, rewarded, bought) -> new BonusState(budgetsGranted, memberGrants,
                        Set.copyOf(capped), rewarded, Set.copyOf(once), bought));
    }

    /**
     * The campaigns' budgets, member grants and occasions, and the members' purchase history a batch
     * decides its bonuses on; {@code capsRead} and {@code occasionsRead}: the campaigns (and coupon
     * definitions) whose member grants and occasions were read, the only ones the batch may grant
     * from under a cap or once.
     */
    record BonusState(Map<UUID, Long> budgetsGranted, Map<LedgerState.CampaignMember, Long> memberGrants,
            Set<UUID> capsRead, Set<LedgerState.Occasion> occasions, Set<UUID> occasionsRead, Set<UUID> purchasedBefore) {

        static final BonusState NONE = new BonusState(Map.of(), Map.of(), Set.of(), Set.of(), Set.of(), Set.of());
    }

    /**
     * What the decisions need besides the accounts. Sent right behind the lock statement on the
     * same connection, without waiting for it: PostgreSQL runs them after it, each with a snapshot
     * taken once the locks are held, so they see every row committed by whoever held a lock before.
     */
    Uni<ReadState> read(SqlConnection connection, Collection<UUID> memberIds, List<Posting> postings,
            Map<UUID, LedgerState.Target> targets, List<LotNeed> needs, OffsetDateTime expiringWindowEnd) {
        // Sets: several writes may name the same hold or original, which must be read once.
        Set<UUID> holdIds = new LinkedHashSet<>();
        Set<UUID> originalIds = new LinkedHashSet<>();
        // What refunds give back to: the originals reversed, and the claims cancelled.
        Set<UUID> refundedIds = new LinkedHashSet<>();
        for (Posting posting : postings) {
            if (WriteDecider.resolvesHold(posting.kind())) {
                holdIds.add(posting.targetId());
            } else if (posting.kind() == TransferKind.REVERSAL) {
                originalIds.add(posting.targetId());
                refundedIds.add(posting.targetId());
            } else if (posting.kind() == TransferKind.REWARD_CANCELLATION) {
                refundedIds.add(posting.targetId());
            }
        }
        Tuple lotArguments = Tuple.of(memberIds.toArray(UUID[]::new), expiringWindowEnd,
                needs.stream().map(LotNeed::memberId).toArray(UUID[]::new),
                needs.stream().map(LotNeed::points).toArray(Long[]::new),
                needs.stream().map(LotNeed::holdId).toArray(UUID[]::new));
        return Uni.combine().all().unis(
                answers(connection, postings, targets),
                connection.preparedQuery(LOTS).execute(lotArguments).map(LedgerWriteRepository::toLots),
                holds(connection, holdIds, memberIds),
                originals(connection, originalIds, memberIds),
                restorable(connection, refundedIds, memberIds),
                pastCameOver(connection, postings))
                .with(ReadState::new);
    }

    /**
     * What one write may take from its member's lots: {@code points}, or the points of the hold it
     * captures; null and null when it is not known before deciding (all the member's lots are read).
     */
    record LotNeed(UUID memberId, Long points, UUID holdId) {
    }

    /** {@link LedgerState} without the accounts, read alongside them. */
    record ReadState(Map<LedgerState.AnswerKey, LedgerState.StoredAnswer> answers, List<LedgerState.LotRow> lots,
            Map<UUID, LedgerState.HoldRow> holds, Map<UUID, LedgerState.Original> originals,
            List<LedgerState.Restorable> restorable, PastCameOver past) {

        LedgerState with(Map<UUID, LedgerState.Account> accounts, BonusState bonuses, LedgerState.RewardState rewards,
                Map<UUID, Set<UUID>> segments) {
            return new LedgerState(accounts, answers, holds, originals, lots, restorable, bonuses, past.migrated(),
                    past.historyPosted(), rewards, segments);
        }
    }

    /** Members with an opening balance, and members whose past purchases' points were posted. */
    record PastCameOver(Set<UUID> migrated, Set<UUID> historyPosted) {
        static final PastCameOver NONE = new PastCameOver(Set.of(), Set.of());
    }

    /** Read only for a batch with a MIGRATION or a past purchase's earn: every other write leaves it empty, at no cost. */
    private static Uni<PastCameOver> pastCameOver(SqlConnection connection, List<Posting> postings) {
        UUID[] members = postings.stream()
                .filter(posting -> posting.kind() == TransferKind.MIGRATION || HistoricalEarn.isHistorical(posting))
                .map(Posting::memberId).distinct().toArray(UUID[]::new);
        if (members.length == 0) {
            return Uni.createFrom().item(PastCameOver.NONE);
        }
        return connection.preparedQuery(PAST_CAME_OVER).execute(Tuple.of(members))
                .map(rows -> {
                    Set<UUID> migrated = new HashSet<>();
                    Set<UUID> historyPosted = new HashSet<>();
                    rows.forEach(row -> {
                        if (row.getBoolean("migrated")) {
                            migrated.add(row.getUUID("member_id"));
                        }
                        if (row.getBoolean("history_posted")) {
                            historyPosted.add(row.getUUID("member_id"));
                        }
                    });
                    return new PastCameOver(migrated, historyPosted);
                });
    }

    private static Uni<Map<LedgerState.AnswerKey, LedgerState.StoredAnswer>> answers(SqlConnection connection,
            List<Posting> postings, Map<UUID, LedgerState.Target> targets) {
        String[] partners = postings.stream().map(Posting::partnerId).toArray(String[]::new);
        String[] keys = postings.stream().map(Posting::idempotencyKey).toArray(String[]::new);
        UUID[] members = postings.stream().map(posting -> WriteDecider.memberOf(posting, targets)).toArray(UUID[]::new);
        return connection.preparedQuery(ANSWERS).execute(Tuple.of(partners, keys, members)).map(rows -> {
            Map<LedgerState.AnswerKey, LedgerState.StoredAnswer> answers = new HashMap<>();
            for (Row row : rows) {
                answers.put(new LedgerState.AnswerKey(row.getString("partner_id"), row.getString("idempotency_key"),
                                row.getUUID("member_id")),
                        new LedgerState.StoredAnswer(row.getBuffer("request_fingerprint").getBytes(),
                                row.getInteger("response_status"), row.getString("body")));
            }
            return answers;
        });
    }

    private static Uni<Map<UUID, LedgerState.HoldRow>> holds(SqlConnection connection, Set<UUID> holdIds,
            Collection<UUID> memberIds) {
        if (holdIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return connection.preparedQuery(HOLDS).execute(Tuple.of(holdIds.toArray(UUID[]::new), memberIds.toArray(UUID[]::new)))
                .map(rows -> toMap(rows, row -> new LedgerState.HoldRow(row.getUUID("hold_id"), row.getUUID("member_id"),
                        row.getString("partner_id"), row.getLong("points"), LedgerState.HoldState.valueOf(row.getString("status")),
                        row.getLong("captured_points"), row.getString("order_id"), row.getString("channel"),
                        row.getOffsetDateTime("expires_at")), LedgerState.HoldRow::holdId));
    }

    private static Uni<Map<UUID, LedgerState.Original>> originals(SqlConnection connection, Set<UUID> originalIds,
            Collection<UUID> memberIds) {
        if (originalIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return connection.preparedQuery(ORIGINALS)
                .execute(Tuple.of(originalIds.toArray(UUID[]::new), memberIds.toArray(UUID[]::new)))
                .map(rows -> toMap(rows, row -> new LedgerState.Original(row.getUUID("transfer_id"),
                        TransferKind.valueOf(row.getString("kind")), row.getUUID("member_id"), row.getString("partner_id"),
                        row.getLong("points"), row.getString("channel"), row.getString("order_id"), row.getLong("reversed")),
                        LedgerState.Original::transferId));
    }

    private static Uni<List<LedgerState.Restorable>> restorable(SqlConnection connection, Set<UUID> originalIds,
            Collection<UUID> memberIds) {
        if (originalIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return connection.preparedQuery(RESTORABLE)
                .execute(Tuple.of(originalIds.toArray(UUID[]::new), memberIds.toArray(UUID[]::new))).map(rows -> {
            List<LedgerState.Restorable> restorable = new ArrayList<>(rows.size());
            for (Row row : rows) {
                restorable.add(new LedgerState.Restorable(row.getUUID("original_id"), row.getLong("lot_id"),
                        row.getUUID("member_id"), row.getUUID("source_transfer_id"), row.getOffsetDateTime("expires_at"),
                        row.getLong("remaining"), row.getLong("restorable")));
            }
            return restorable;
        });
    }

    private static List<LedgerState.LotRow> toLots(RowSet<Row> rows) {
        List<LedgerState.LotRow> lots = new ArrayList<>(rows.size());
        for (Row row : rows) {
            lots.add(new LedgerState.LotRow(row.getLong("lot_id"), row.getUUID("member_id"), row.getUUID("source_transfer_id"),
                    row.getOffsetDateTime("expires_at"), row.getLong("remaining")));
        }
        return lots;
    }

    /** The reward of each of these claims that exists, read before any lock. */
    Uni<Map<UUID, UUID>> rewardsOfClaims(SqlConnection connection, Collection<UUID> claimIds) {
        if (claimIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return connection.preparedQuery(REWARDS_OF_CLAIMS).execute(Tuple.of(claimIds.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, UUID> rewards = new HashMap<>();
            rows.forEach(row -> rewards.put(row.getUUID("claim_id"), row.getUUID("reward_id")));
            return rewards;
        });
    }

    /**
     * The rewards and causes named, locked; the claims cancelled, locked; what {@code claimants}
     * hold of {@code claimedRewards}: queued right behind the accounts' (and budgets') locks.
     */
    Uni<LedgerState.RewardState> readRewardState(SqlConnection connection, Collection<UUID> memberIds, Set<UUID> rewardIds,
            Set<UUID> causeIds, Set<UUID> claimIds, Set<UUID> claimants, Set<UUID> claimedRewards) {
        if (rewardIds.isEmpty() && causeIds.isEmpty() && claimIds.isEmpty()) {
            return Uni.createFrom().item(LedgerState.RewardState.NONE);
        }
        Uni<Map<UUID, LedgerState.RewardRow>> rewards = rewardIds.isEmpty() ? Uni.createFrom().item(Map.of())
                : connection.preparedQuery(LOCK_REWARDS).execute(Tuple.of(rewardIds.toArray(UUID[]::new)))
                        .map(rows -> toMap(rows, LedgerWriteRepository::toReward, LedgerState.RewardRow::rewardId));
        Uni<Map<UUID, LedgerState.CauseRow>> causes = causeIds.isEmpty() ? Uni.createFrom().item(Map.of())
                : connection.preparedQuery(LOCK_CAUSES).execute(Tuple.of(causeIds.toArray(UUID[]::new)))
                        .map(rows -> toMap(rows, row -> new LedgerState.CauseRow(row.getUUID("cause_id"),
                                "ACTIVE".equals(row.getString("status")), row.getInteger("match_rate_basis_points"),
                                row.getLong("match_budget"), row.getLong("matched")), LedgerState.CauseRow::causeId));
        Uni<Map<UUID, LedgerState.ClaimRow>> claims = claimIds.isEmpty() ? Uni.createFrom().item(Map.of())
                : connection.preparedQuery(LOCK_CLAIMS)
                        .execute(Tuple.of(claimIds.toArray(UUID[]::new), memberIds.toArray(UUID[]::new)))
                        .map(rows -> toMap(rows, row -> new LedgerState.ClaimRow(row.getUUID("claim_id"), row.getUUID("member_id"),
                                row.getUUID("reward_id"), row.getString("partner_id"), row.getLong("points"),
                                LedgerState.ClaimState.valueOf(row.getString("status"))), LedgerState.ClaimRow::claimId));
        Uni<Map<LedgerState.RewardMember, Long>> active = claimants.isEmpty() ? Uni.createFrom().item(Map.of())
                : connection.preparedQuery(ACTIVE_CLAIMS)
                        .execute(Tuple.of(claimants.toArray(UUID[]::new), claimedRewards.toArray(UUID[]::new))).map(rows -> {
                            Map<LedgerState.RewardMember, Long> held = new HashMap<>();
                            rows.forEach(row -> held.put(new LedgerState.RewardMember(row.getUUID("member_id"),
                                    row.getUUID("reward_id")), row.getLong("claims")));
                            return held;
                        });
        return Uni.combine().all().unis(rewards, causes, claims, active)
                .with((rewardRows, causeRows, claimRows, activeClaims) -> new LedgerState.RewardState(rewardRows, activeClaims,
                        claimRows, causeRows));
    }

    private static LedgerState.RewardRow toReward(Row row) {
        Map<Tier, Long> pointsByTier = new EnumMap<>(Tier.class);
        new JsonObject(row.getString("points_by_tier"))
                .forEach(entry -> pointsByTier.put(Tier.valueOf(entry.getKey()), ((Number) entry.getValue()).longValue()));
        String[] tiers = row.getArrayOfStrings("eligible_tiers");
        Set<Tier> eligible = null;
        if (tiers != null) {
            eligible = EnumSet.noneOf(Tier.class);
            for (String tier : tiers) {
                eligible.add(Tier.valueOf(tier));
            }
        }
        return new LedgerState.RewardRow(row.getUUID("reward_id"), row.getString("name"), row.getString("kind"),
                "ACTIVE".equals(row.getString("status")), row.getLong("points"), pointsByTier, eligible, row.getLong("stock"),
                row.getInteger("per_member_limit"), row.getOffsetDateTime("available_from"),
                row.getOffsetDateTime("available_until"), row.getOffsetDateTime("starts_at"),
                row.getOffsetDateTime("cancellable_until"));
    }

    /** Writes everything {@code effects} holds in one statement. */
    Uni<Void> apply(SqlConnection connection, BatchEffects effects, Duration keyRetention) {
        if (effects.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple arguments = Tuple.tuple();
        addTransfers(arguments, effects.transfers);
        addLots(arguments, effects);
        addHolds(arguments, effects);
        addAccounts(arguments, effects.accounts.values());
        addAnswers(arguments, effects.answers, keyRetention);
        addEvents(arguments, effects.events);
        addAudits(arguments, effects.audits);
        arguments.addArrayOfUUID(column(effects.answers, BatchEffects.Answer::memberId, UUID[]::new))
                .addArrayOfUUID(column(effects.movements, BatchEffects.Movement::memberId, UUID[]::new));
        Uni<Void> applied = connection.preparedQuery(APPLY).execute(arguments).replaceWithVoid();
        boolean grants = !(effects.budgetsSpent.isEmpty() && effects.memberGrants.isEmpty() && effects.occasions.isEmpty()
                && effects.exposures.isEmpty());
        if (!grants && !effects.changesRewardsOrCauses()) {
            return applied;
        }
        // Queued in this order behind APPLY, whose transfers the claims and cause entries refer to.
        Uni<Void> granted = grants ? applyGrants(connection, effects) : Uni.createFrom().voidItem();
        Uni<Void> rewarded = effects.changesRewardsOrCauses() ? applyRewards(connection, effects) : Uni.createFrom().voidItem();
        return Uni.combine().all().unis(applied, granted, rewarded).discardItems();
    }

    private static Uni<Void> applyRewards(SqlConnection connection, BatchEffects effects) {
        List<BatchEffects.NewClaim> claims = effects.newClaims;
        List<BatchEffects.ClaimCancellation> cancelled = effects.cancelledClaims;
        List<Map.Entry<UUID, BatchEffects.StockChange>> stock = List.copyOf(effects.stockChanges.entrySet());
        List<Map.Entry<UUID, BatchEffects.CauseCredit>> credits = List.copyOf(effects.causeCredits.entrySet());
        List<BatchEffects.CauseEntry> entries = effects.causeEntries;
        Tuple arguments = Tuple.tuple()
                .addArrayOfUUID(column(claims, BatchEffects.NewClaim::claimId, UUID[]::new))
                .addArrayOfUUID(column(claims, BatchEffects.NewClaim::memberId, UUID[]::new))
                .addArrayOfUUID(column(claims, BatchEffects.NewClaim::rewardId, UUID[]::new))
                .addArrayOfString(column(claims, BatchEffects.NewClaim::partnerId, String[]::new))
                .addArrayOfLong(column(claims, BatchEffects.NewClaim::points, Long[]::new))
                .addArrayOfOffsetDateTime(column(claims, BatchEffects.NewClaim::claimedAt, OffsetDateTime[]::new))
                .addArrayOfUUID(column(cancelled, BatchEffects.ClaimCancellation::claimId, UUID[]::new))
                .addArrayOfUUID(column(cancelled, BatchEffects.ClaimCancellation::memberId, UUID[]::new))
                .addArrayOfOffsetDateTime(column(cancelled, BatchEffects.ClaimCancellation::cancelledAt, OffsetDateTime[]::new))
                .addArrayOfUUID(column(cancelled, BatchEffects.ClaimCancellation::transferId, UUID[]::new))
                .addArrayOfUUID(column(stock, Map.Entry::getKey, UUID[]::new))
                .addArrayOfLong(column(stock, entry -> entry.getValue().stock(), Long[]::new))
                .addArrayOfLong(column(stock, entry -> entry.getValue().claimed(), Long[]::new))
                .addArrayOfUUID(column(credits, Map.Entry::getKey, UUID[]::new))
                .addArrayOfLong(column(credits, entry -> entry.getValue().donated(), Long[]::new))
                .addArrayOfLong(column(credits, entry -> entry.getValue().matched(), Long[]::new))
                .addArrayOfUUID(column(entries, BatchEffects.CauseEntry::transferId, UUID[]::new))
                .addArrayOfUUID(column(entries, BatchEffects.CauseEntry::memberId, UUID[]::new))
                .addArrayOfString(column(entries, BatchEffects.CauseEntry::kind, String[]::new))
                .addArrayOfUUID(column(entries, BatchEffects.CauseEntry::causeId, UUID[]::new))
                .addArrayOfLong(column(entries, BatchEffects.CauseEntry::points, Long[]::new))
                .addArrayOfOffsetDateTime(column(entries, BatchEffects.CauseEntry::occurredAt, OffsetDateTime[]::new));
        return connection.preparedQuery(APPLY_REWARDS).execute(arguments).replaceWithVoid();
    }

    private static Uni<Void> applyGrants(SqlConnection connection, BatchEffects effects) {
        List<Map.Entry<UUID, Long>> budgets = List.copyOf(effects.budgetsSpent.entrySet());
        List<Map.Entry<LedgerState.CampaignMember, Long>> grants = List.copyOf(effects.memberGrants.entrySet());
        List<LedgerState.Occasion> occasions = List.copyOf(effects.occasions);
        List<Map.Entry<LedgerState.CampaignMember, BatchEffects.Exposure>> exposures = List.copyOf(effects.exposures.entrySet());
        Tuple arguments = Tuple.tuple()
                .addArrayOfUUID(column(budgets, Map.Entry::getKey, UUID[]::new))
                .addArrayOfLong(column(budgets, Map.Entry::getValue, Long[]::new))
                .addArrayOfUUID(column(grants, entry -> entry.getKey().memberId(), UUID[]::new))
                .addArrayOfUUID(column(grants, entry -> entry.getKey().campaignId(), UUID[]::new))
                .addArrayOfLong(column(grants, Map.Entry::getValue, Long[]::new))
                .addArrayOfUUID(column(occasions, LedgerState.Occasion::memberId, UUID[]::new))
                .addArrayOfUUID(column(occasions, LedgerState.Occasion::campaignId, UUID[]::new))
                .addArrayOfString(column(occasions, LedgerState.Occasion::key, String[]::new))
                .addArrayOfUUID(column(exposures, entry -> entry.getKey().memberId(), UUID[]::new))
                .addArrayOfUUID(column(exposures, entry -> entry.getKey().campaignId(), UUID[]::new))
                .addArrayOfString(column(exposures, entry -> entry.getValue().variant(), String[]::new))
                .addArrayOfOffsetDateTime(column(exposures, entry -> entry.getValue().exposedAt(), OffsetDateTime[]::new))
                .addArrayOfLong(column(exposures, entry -> entry.getValue().points(), Long[]::new));
        return connection.preparedQuery(APPLY_GRANTS).execute(arguments).replaceWithVoid();
    }

    private static void addTransfers(Tuple arguments, List<BatchEffects.TransferRow> transfers) {
        arguments.addArrayOfUUID(column(transfers, BatchEffects.TransferRow::transferId, UUID[]::new))
                .addArrayOfString(column(transfers, row -> row.kind().name(), String[]::new))
                .addArrayOfUUID(column(transfers, BatchEffects.TransferRow::memberId, UUID[]::new))
                .addArrayOfLong(column(transfers, BatchEffects.TransferRow::points, Long[]::new))
                .addArrayOfLong(column(transfers, BatchEffects.TransferRow::postedDelta, Long[]::new))
                .addArrayOfLong(column(transfers, BatchEffects.TransferRow::heldDelta, Long[]::new))
                .addArrayOfString(column(transfers, BatchEffects.TransferRow::partnerId, String[]::new))
                .addArrayOfString(column(transfers, BatchEffects.TransferRow::channel, String[]::new))
                .addArrayOfString(column(transfers, BatchEffects.TransferRow::orderId, String[]::new))
                .addArrayOfString(column(transfers, BatchEffects.TransferRow::idempotencyKey, String[]::new))
                .addArrayOfUUID(column(transfers, BatchEffects.TransferRow::relatedTransferId, UUID[]::new))
                .addArrayOfLong(column(transfers, BatchEffects.TransferRow::amount, Long[]::new))
                .addArrayOfString(column(transfers, BatchEffects.TransferRow::currency, String[]::new))
                .addArrayOfOffsetDateTime(column(transfers, BatchEffects.TransferRow::occurredAt, OffsetDateTime[]::new))
                .addArrayOfOffsetDateTime(column(transfers, BatchEffects.TransferRow::recordedAt, OffsetDateTime[]::new))
                .addArrayOfString(column(transfers, BatchEffects.TransferRow::reason, String[]::new))
                .addArrayOfString(column(transfers, BatchEffects.TransferRow::metadata, String[]::new));
    }

    private static void addLots(Tuple arguments, BatchEffects effects) {
        List<Map.Entry<BatchEffects.NewLot, Long>> created = List.copyOf(effects.newLots.entrySet());
        List<Map.Entry<Long, Long>> changed = List.copyOf(effects.lotChanges.entrySet());
        List<BatchEffects.Movement> movements = effects.movements;
        arguments.addArrayOfUUID(column(created, entry -> entry.getKey().memberId(), UUID[]::new))
                .addArrayOfUUID(column(created, entry -> entry.getKey().sourceTransferId(), UUID[]::new))
                .addArrayOfOffsetDateTime(column(created, entry -> entry.getKey().expiresAt(), OffsetDateTime[]::new))
                .addArrayOfLong(column(created, Map.Entry::getValue, Long[]::new))
                .addArrayOfLong(column(created, entry -> entry.getKey().credited(), Long[]::new))
                .addArrayOfLong(column(changed, Map.Entry::getKey, Long[]::new))
                .addArrayOfLong(column(changed, Map.Entry::getValue, Long[]::new))
                .addArrayOfUUID(column(movements, BatchEffects.Movement::transferId, UUID[]::new))
                .addArrayOfLong(column(movements, BatchEffects.Movement::lotId, Long[]::new))
                .addArrayOfUUID(column(movements, BatchEffects.Movement::newLotSource, UUID[]::new))
                .addArrayOfLong(column(movements, BatchEffects.Movement::points, Long[]::new));
    }

    private static void addHolds(Tuple arguments, BatchEffects effects) {
        List<BatchEffects.NewHold> placed = effects.newHolds;
        List<BatchEffects.HoldResolution> resolved = effects.resolvedHolds;
        arguments.addArrayOfUUID(column(placed, BatchEffects.NewHold::holdId, UUID[]::new))
                .addArrayOfUUID(column(placed, BatchEffects.NewHold::memberId, UUID[]::new))
                .addArrayOfString(column(placed, BatchEffects.NewHold::partnerId, String[]::new))
                .addArrayOfLong(column(placed, BatchEffects.NewHold::points, Long[]::new))
                .addArrayOfString(column(placed, BatchEffects.NewHold::orderId, String[]::new))
                .addArrayOfString(column(placed, BatchEffects.NewHold::channel, String[]::new))
                .addArrayOfOffsetDateTime(column(placed, BatchEffects.NewHold::expiresAt, OffsetDateTime[]::new))
                .addArrayOfOffsetDateTime(column(placed, BatchEffects.NewHold::createdAt, OffsetDateTime[]::new))
                .addArrayOfUUID(column(resolved, BatchEffects.HoldResolution::holdId, UUID[]::new))
                .addArrayOfString(column(resolved, resolution -> resolution.status().name(), String[]::new))
                .addArrayOfLong(column(resolved, BatchEffects.HoldResolution::capturedPoints, Long[]::new))
                .addArrayOfOffsetDateTime(column(resolved, BatchEffects.HoldResolution::resolvedAt, OffsetDateTime[]::new))
                .addArrayOfUUID(column(resolved, BatchEffects.HoldResolution::resolvedBy, UUID[]::new));
    }

    private static void addAccounts(Tuple arguments, Collection<BatchEffects.AccountRow> accounts) {
        List<BatchEffects.AccountRow> rows = List.copyOf(accounts);
        arguments.addArrayOfUUID(column(rows, BatchEffects.AccountRow::memberId, UUID[]::new))
                .addArrayOfLong(column(rows, BatchEffects.AccountRow::posted, Long[]::new))
                .addArrayOfLong(column(rows, BatchEffects.AccountRow::held, Long[]::new))
                .addArrayOfLong(column(rows, BatchEffects.AccountRow::version, Long[]::new));
    }

    /** Kept for {@code keyRetention} from the commit's clock, the one the purge compares with. */
    private static void addAnswers(Tuple arguments, List<BatchEffects.Answer> answers, Duration keyRetention) {
        arguments.addArrayOfString(column(answers, BatchEffects.Answer::partnerId, String[]::new))
                .addArrayOfString(column(answers, BatchEffects.Answer::idempotencyKey, String[]::new))
                .addValue(column(answers, answer -> Buffer.buffer(answer.fingerprint()), Buffer[]::new))
                .addArrayOfInteger(column(answers, BatchEffects.Answer::status, Integer[]::new))
                .addArrayOfString(column(answers, BatchEffects.Answer::body, String[]::new))
                .addDouble((double) keyRetention.toSeconds());
    }

    private static void addEvents(Tuple arguments, List<BatchEffects.Event> events) {
        arguments.addArrayOfUUID(column(events, BatchEffects.Event::eventId, UUID[]::new))
                .addArrayOfUUID(column(events, BatchEffects.Event::memberId, UUID[]::new))
                .addArrayOfString(column(events, BatchEffects.Event::eventType, String[]::new))
                .addArrayOfString(column(events, BatchEffects.Event::payload, String[]::new));
    }

    private static void addAudits(Tuple arguments, List<BatchEffects.Audit> audits) {
        arguments.addArrayOfString(column(audits, BatchEffects.Audit::actor, String[]::new))
                .addArrayOfUUID(column(audits, BatchEffects.Audit::apiKeyId, UUID[]::new))
                .addArrayOfString(column(audits, BatchEffects.Audit::action, String[]::new))
                .addArrayOfString(column(audits, BatchEffects.Audit::target, String[]::new))
                .addArrayOfString(column(audits, BatchEffects.Audit::details, String[]::new));
    }

    private static <R, T> T[] column(List<R> rows, Function<R, T> value, java.util.function.IntFunction<T[]> array) {
        T[] column = array.apply(rows.size());
        for (int index = 0; index < column.length; index++) {
            column[index] = value.apply(rows.get(index));
        }
        return column;
    }

    private static <T, K> Map<K, T> toMap(RowSet<Row> rows, Function<Row, T> read, Function<T, K> key) {
        Map<K, T> map = new HashMap<>();
        for (Row row : rows) {
            T value = read.apply(row);
            map.put(key.apply(value), value);
        }
        return map;
    }
}
