package io.pointsledger.rewards;

import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The catalogue and its claims as operators and members read them, and what changes outside the
 * write path: a reward created, its stock changed, retired; a claim fulfilled. Claims, their
 * cancellations and the stock they take are written by the ledger's write path only.
 */
@ApplicationScoped
class RewardRepository {

    private static final String COLUMNS = """
            w.sequence, w.reward_id, w.status, w.kind, w.name, w.description, w.image_urls, w.points,
            w.points_by_tier::text AS points_by_tier, w.eligible_tiers, w.stock, w.claimed, w.per_member_limit,
            w.available_from, w.available_until, w.starts_at, w.venue, w.cancellable_until, w.fulfilment_partner_id,
            w.version, w.created_at, w.updated_at\s""";

    private static final String INSERT = """
            INSERT INTO rewards AS w (reward_id, kind, name, description, image_urls, points, points_by_tier, eligible_tiers,
                                      stock, per_member_limit, available_from, available_until, starts_at, venue,
                                      cancellable_until, fulfilment_partner_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            RETURNING\s""" + COLUMNS;

    private static final String FIND = "SELECT " + COLUMNS + " FROM rewards w WHERE w.reward_id = $1";

    private static final String PAGE = "SELECT " + COLUMNS + """
             FROM rewards w WHERE w.sequence < $1 AND ($3::text IS NULL OR w.status = $3)
             ORDER BY w.sequence DESC LIMIT $2""";

    /**
     * Relative, under the row's lock: a claim committed meanwhile is kept, and stock never goes below
     * zero; made against the version {@code $3} names (null: any), so that a retried change, which
     * finds the version it moved, is refused rather than applied twice.
     */
    private static final String CHANGE_STOCK = """
            UPDATE rewards w SET stock = w.stock + $2, version = w.version + 1, updated_at = now()
             WHERE w.reward_id = $1 AND ($3::bigint IS NULL OR w.version = $3) AND w.stock IS NOT NULL
               AND w.stock + $2 >= 0
            RETURNING\s""" + COLUMNS;

    private static final String RETIRE = """
            UPDATE rewards w SET status = 'RETIRED', version = w.version + 1, updated_at = now()
             WHERE w.reward_id = $1
            RETURNING\s""" + COLUMNS;

    private static final String PARTNER_EXISTS = "SELECT 1 FROM partners WHERE partner_id = $1";

    /** What a member of tier {@code $1} may claim at {@code $4}, with the claims they hold of each. */
    private static final String CATALOGUE = "SELECT " + COLUMNS + """
            , (SELECT count(*) FROM reward_claims c
                WHERE c.member_id = $2 AND c.reward_id = w.reward_id AND c.status <> 'CANCELLED') AS held
              FROM rewards w
             WHERE w.status = 'ACTIVE' AND w.sequence < $3
               AND (w.eligible_tiers IS NULL OR $1 = ANY (w.eligible_tiers))
               AND (w.available_from IS NULL OR w.available_from <= $4)
               AND (w.available_until IS NULL OR w.available_until > $4)
               AND (w.starts_at IS NULL OR w.starts_at > $4)
             ORDER BY w.sequence DESC LIMIT $5""";

    private static final String CLAIM_COLUMNS = """
            c.sequence, c.claim_id, c.member_id, c.reward_id, c.partner_id, c.status, c.points, c.claimed_at, c.fulfilled_at,
            c.fulfilment_reference, c.cancelled_at, c.cancellation_transfer_id,
            w.name, w.kind, w.starts_at, w.venue, w.cancellable_until, w.fulfilment_partner_id\s""";

    /**
     * A member's claims, newest first; when {@code $2} is not null, those that partner made or
     * hands over.
     */
    private static final String MEMBER_CLAIMS = "SELECT " + CLAIM_COLUMNS + """
             FROM reward_claims c JOIN rewards w ON w.reward_id = c.reward_id
             WHERE c.member_id = $1 AND ($2::text IS NULL OR c.partner_id = $2 OR w.fulfilment_partner_id = $2)
               AND c.sequence < $3
             ORDER BY c.sequence DESC LIMIT $4""";

    /** Every claim newest first, in status {@code $1} (null: any): the operator's list, along the claims' order. */
    private static final String ALL_CLAIMS = "SELECT " + CLAIM_COLUMNS + """
             FROM reward_claims c JOIN rewards w ON w.reward_id = c.reward_id
             WHERE ($1::text IS NULL OR c.status = $1) AND c.sequence < $2
             ORDER BY c.sequence DESC LIMIT $3""";

    /**
     * The claims of the rewards {@code $1} hands over, newest first, in status {@code $2} (null:
     * any): read from those rewards' claims (the index by reward), not along every claim.
     */
    private static final String HAND_OVER_CLAIMS = "SELECT " + CLAIM_COLUMNS + """
             FROM reward_claims c JOIN rewards w ON w.reward_id = c.reward_id
             WHERE c.reward_id = ANY (ARRAY (SELECT reward_id FROM rewards WHERE fulfilment_partner_id = $1))
               AND ($2::text IS NULL OR c.status = $2) AND c.sequence < $3
             ORDER BY c.sequence DESC LIMIT $4""";

    private static final String REWARD_CLAIMS = "SELECT " + CLAIM_COLUMNS + """
             FROM reward_claims c JOIN rewards w ON w.reward_id = c.reward_id
             WHERE c.reward_id = $1 AND ($2::text IS NULL OR c.status = $2) AND c.sequence < $3
             ORDER BY c.sequence DESC LIMIT $4""";

    private static final String CLAIM = "SELECT " + CLAIM_COLUMNS + """
             FROM reward_claims c JOIN rewards w ON w.reward_id = c.reward_id WHERE c.claim_id = $1""";

    /** The claim, locked against a cancellation in the write path (which locks it too). */
    private static final String LOCK_CLAIM = CLAIM + " FOR UPDATE OF c";

    /** Fulfils a claim and writes its event, in one statement. */
    private static final String FULFIL = """
            WITH fulfilled AS (
                UPDATE reward_claims c SET status = 'FULFILLED', fulfilled_at = now(), fulfilled_by = $3,
                                           fulfilment_reference = $4
                 WHERE c.claim_id = $1 AND c.member_id = $2 AND c.status = 'CLAIMED'
                RETURNING c.claim_id, c.member_id, c.reward_id, c.partner_id, c.points, c.fulfilled_at
            ), event AS (
                -- partnerId: the partner that made the claim, whose webhooks hear of it; fulfilledBy: who handed it over.
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                SELECT $5, f.member_id, 'REWARD_FULFILLED', jsonb_build_object(
                           'schemaVersion', 1, 'eventType', 'REWARD_FULFILLED', 'claimId', f.claim_id,
                           'memberId', f.member_id, 'rewardId', f.reward_id, 'points', f.points, 'partnerId', f.partner_id,
                           'fulfilledBy', $3::text, 'reference', $4::text, 'fulfilledAt', f.fulfilled_at)
                  FROM fulfilled f
            )
            SELECT count(*) AS fulfilled FROM fulfilled""";

    private final Pool pool;

    RewardRepository(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    /** A reward with its place in the list, for paging. */
    record StoredReward(long sequence, Reward reward) {
    }

    /** A claim with its place in the list, and who hands its reward over. */
    record StoredClaim(long sequence, RewardClaim claim, String fulfilmentPartnerId) {
    }

    /** A reward as one member sees it, with the claims they hold of it. */
    record CatalogueRow(long sequence, Reward reward, long held) {
    }

    Uni<StoredReward> insert(SqlClient transaction, UUID rewardId, RewardRequest request) {
        RewardEvent event = request.event();
        Set<Tier> tiers = request.eligibility() == null ? null : request.eligibility().tiers();
        JsonObject byTier = new JsonObject();
        request.pointsByTierOrNone().forEach((tier, points) -> byTier.put(tier.name(), points));
        Tuple arguments = Tuple.tuple().addUUID(rewardId).addString(request.kind().name()).addString(request.name())
                .addString(request.description()).addArrayOfString(request.imageUrlsOrNone().toArray(String[]::new))
                .addLong(request.points()).addString(byTier.encode())
                .addArrayOfString(tiers == null ? null : tiers.stream().map(Tier::name).sorted().toArray(String[]::new))
                .addLong(request.stock()).addInteger(request.perMemberLimit())
                .addOffsetDateTime(request.availableFrom()).addOffsetDateTime(request.availableUntil())
                .addOffsetDateTime(event == null ? null : event.startsAt()).addString(event == null ? null : event.venue())
                .addOffsetDateTime(event == null ? null : event.cancellationCutOff())
                .addString(request.fulfilmentPartnerId());
        return transaction.preparedQuery(INSERT).execute(arguments).map(rows -> first(rows, RewardRepository::stored));
    }

    Uni<Boolean> partnerExists(String partnerId) {
        return pool.preparedQuery(PARTNER_EXISTS).execute(Tuple.of(partnerId)).map(rows -> rows.size() > 0);
    }

    Uni<StoredReward> find(UUID rewardId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(rewardId)).map(rows -> first(rows, RewardRepository::stored));
    }

    Uni<List<StoredReward>> page(RewardStatus status, long beforeSequence, int limit) {
        return pool.preparedQuery(PAGE).execute(Tuple.of(beforeSequence, limit, status == null ? null : status.name()))
                .map(rows -> all(rows, RewardRepository::stored));
    }

    Uni<StoredReward> changeStock(SqlClient transaction, UUID rewardId, long change, Long version) {
        return transaction.preparedQuery(CHANGE_STOCK).execute(Tuple.of(rewardId, change, version))
                .map(rows -> first(rows, RewardRepository::stored));
    }

    Uni<StoredReward> retire(SqlClient transaction, UUID rewardId) {
        return transaction.preparedQuery(RETIRE).execute(Tuple.of(rewardId)).map(rows -> first(rows, RewardRepository::stored));
    }

    Uni<List<CatalogueRow>> catalogue(Tier tier, UUID memberId, long beforeSequence, OffsetDateTime now, int limit) {
        return pool.preparedQuery(CATALOGUE).execute(Tuple.of(tier.name(), memberId, beforeSequence, now, limit))
                .map(rows -> all(rows, row -> new CatalogueRow(row.getLong("sequence"), reward(row), row.getLong("held"))));
    }

    Uni<List<StoredClaim>> memberClaims(UUID memberId, String partnerId, long beforeSequence, int limit) {
        return pool.preparedQuery(MEMBER_CLAIMS).execute(Tuple.of(memberId, partnerId, beforeSequence, limit))
                .map(rows -> all(rows, RewardRepository::claim));
    }

    Uni<List<StoredClaim>> rewardClaims(UUID rewardId, ClaimStatus status, long beforeSequence, int limit) {
        return pool.preparedQuery(REWARD_CLAIMS)
                .execute(Tuple.of(rewardId, status == null ? null : status.name(), beforeSequence, limit))
                .map(rows -> all(rows, RewardRepository::claim));
    }

    /** The claims of the rewards {@code fulfilmentPartnerId} hands over; every claim when it is null (the operator). */
    Uni<List<StoredClaim>> handOverClaims(String fulfilmentPartnerId, ClaimStatus status, long beforeSequence, int limit) {
        String statusName = status == null ? null : status.name();
        Uni<RowSet<Row>> rows = fulfilmentPartnerId == null
                ? pool.preparedQuery(ALL_CLAIMS).execute(Tuple.of(statusName, beforeSequence, limit))
                : pool.preparedQuery(HAND_OVER_CLAIMS).execute(Tuple.of(fulfilmentPartnerId, statusName, beforeSequence, limit));
        return rows.map(found -> all(found, RewardRepository::claim));
    }

    Uni<StoredClaim> claim(UUID claimId) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(claimId)).map(rows -> first(rows, RewardRepository::claim));
    }

    Uni<StoredClaim> lockClaim(SqlClient transaction, UUID claimId) {
        return transaction.preparedQuery(LOCK_CLAIM).execute(Tuple.of(claimId)).map(rows -> first(rows, RewardRepository::claim));
    }

    /** Whether the claim was CLAIMED and is now fulfilled, its event written. */
    Uni<Boolean> fulfil(SqlClient transaction, UUID claimId, UUID memberId, String partnerId, String reference, UUID eventId) {
        return transaction.preparedQuery(FULFIL).execute(Tuple.of(claimId, memberId, partnerId, reference, eventId))
                .map(rows -> rows.iterator().next().getLong("fulfilled") == 1);
    }

    private static StoredReward stored(Row row) {
        return new StoredReward(row.getLong("sequence"), reward(row));
    }

    private static Reward reward(Row row) {
        Map<Tier, Long> byTier = new EnumMap<>(Tier.class);
        new JsonObject(row.getString("points_by_tier"))
                .forEach(entry -> byTier.put(Tier.valueOf(entry.getKey()), ((Number) entry.getValue()).longValue()));
        String[] tiers = row.getArrayOfStrings("eligible_tiers");
        RewardEligibility eligibility = null;
        if (tiers != null) {
            Set<Tier> eligible = EnumSet.noneOf(Tier.class);
            for (String tier : tiers) {
                eligible.add(Tier.valueOf(tier));
            }
            eligibility = new RewardEligibility(eligible);
        }
        return new Reward(row.getUUID("reward_id"), RewardStatus.valueOf(row.getString("status")),
                RewardKind.valueOf(row.getString("kind")), row.getString("name"), row.getString("description"),
                List.of(row.getArrayOfStrings("image_urls")), row.getLong("points"), byTier, eligibility, row.getLong("stock"),
                row.getLong("claimed"), row.getInteger("per_member_limit"), row.getOffsetDateTime("available_from"),
                row.getOffsetDateTime("available_until"), event(row), row.getString("fulfilment_partner_id"),
                row.getLong("version"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    }

    private static RewardEvent event(Row row) {
        OffsetDateTime startsAt = row.getOffsetDateTime("starts_at");
        return startsAt == null ? null
                : new RewardEvent(startsAt, row.getString("venue"), row.getOffsetDateTime("cancellable_until"));
    }

    private static StoredClaim claim(Row row) {
        String status = row.getString("status");
        return new StoredClaim(row.getLong("sequence"), new RewardClaim(row.getUUID("claim_id"), row.getUUID("member_id"),
                row.getUUID("reward_id"), row.getString("name"), RewardKind.valueOf(row.getString("kind")),
                row.getString("partner_id"), ClaimStatus.valueOf(status), row.getLong("points"),
                row.getOffsetDateTime("claimed_at"), row.getOffsetDateTime("fulfilled_at"),
                row.getString("fulfilment_reference"), row.getOffsetDateTime("cancelled_at"),
                row.getUUID("cancellation_transfer_id"), event(row)), row.getString("fulfilment_partner_id"));
    }

    private static <T> T first(RowSet<Row> rows, Function<Row, T> read) {
        return rows.size() == 0 ? null : read.apply(rows.iterator().next());
    }

    private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> read) {
        List<T> items = new ArrayList<>(rows.size());
        rows.forEach(row -> items.add(read.apply(row)));
        return items;
    }
}
