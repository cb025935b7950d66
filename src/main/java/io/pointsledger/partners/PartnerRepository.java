package io.pointsledger.partners;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** All SQL about partners and their keys. */
@ApplicationScoped
public class PartnerRepository {

    private static final String INSERT = """
            INSERT INTO partners (partner_id, name, scopes, rate_limit_per_second)
            VALUES ($1, $2, $3, $4) RETURNING created_at""";

    private static final String FIND = """
            SELECT p.partner_id, p.name, p.scopes, p.rate_limit_per_second, p.created_at,
                   k.key_id, k.key_prefix, k.created_at AS key_created_at, k.revoked_at
              FROM partners p LEFT JOIN partner_keys k USING (partner_id)
             WHERE p.partner_id = $1
             ORDER BY k.created_at""";

    /** Serialises key issue per partner, so two concurrent issues cannot both pass the count. */
    private static final String LOCK_AND_COUNT_ACTIVE_KEYS = """
            SELECT (SELECT count(*) FROM partner_keys k WHERE k.partner_id = p.partner_id AND k.revoked_at IS NULL)
              FROM partners p WHERE p.partner_id = $1 FOR UPDATE""";

    private static final String INSERT_KEY = """
            INSERT INTO partner_keys (key_id, partner_id, key_hash, key_prefix)
            VALUES ($1, $2, $3, $4) RETURNING created_at""";

    private static final String REVOKE_KEY = """
            UPDATE partner_keys SET revoked_at = COALESCE(revoked_at, now())
             WHERE partner_id = $1 AND key_id = $2 RETURNING key_hash""";

    private static final String FIND_ACTIVE_KEY = """
            SELECT p.partner_id, p.scopes, p.rate_limit_per_second, k.key_id
              FROM partner_keys k JOIN partners p USING (partner_id)
             WHERE k.key_hash = $1 AND k.revoked_at IS NULL""";

    private final Pool pool;

    PartnerRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<OffsetDateTime> insert(SqlClient transaction, String partnerId, CreatePartnerRequest request) {
        String[] scopes = request.scopes().stream().map(Scope::wireName).sorted().toArray(String[]::new);
        return transaction.preparedQuery(INSERT)
                .execute(Tuple.of(partnerId, request.name(), scopes, request.rateLimitPerSecond()))
                .map(rows -> rows.iterator().next().getOffsetDateTime(0));
    }

    /** The partner with all its keys, or null. */
    Uni<Partner> find(String partnerId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(partnerId)).map(PartnerRepository::toPartner);
    }

    /** Active keys of the partner, with the partner row locked until commit; empty if no such partner. */
    Uni<Optional<Long>> lockAndCountActiveKeys(SqlClient transaction, String partnerId) {
        return transaction.preparedQuery(LOCK_AND_COUNT_ACTIVE_KEYS).execute(Tuple.of(partnerId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong(0)));
    }

    Uni<OffsetDateTime> insertKey(SqlClient transaction, UUID keyId, String partnerId, byte[] keyHash, String keyPrefix) {
        return transaction.preparedQuery(INSERT_KEY)
                .execute(Tuple.of(keyId, partnerId, Buffer.buffer(keyHash), keyPrefix))
                .map(rows -> rows.iterator().next().getOffsetDateTime(0));
    }

    /** Revokes the key (a no-op if already revoked); the key's hash, or empty if no such key. */
    Uni<Optional<byte[]>> revokeKey(SqlClient transaction, String partnerId, UUID keyId) {
        return transaction.preparedQuery(REVOKE_KEY).execute(Tuple.of(partnerId, keyId))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getBuffer(0).getBytes()));
    }

    /** The caller an active key belongs to, if any. */
    Uni<Optional<Caller>> findCallerByActiveKey(byte[] keyHash) {
        return pool.preparedQuery(FIND_ACTIVE_KEY).execute(Tuple.of(Buffer.buffer(keyHash))).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(new Caller(row.getString("partner_id"), scopes(row),
                    row.getInteger("rate_limit_per_second"), row.getUUID("key_id")));
        });
    }

    private static Partner toPartner(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row first = rows.iterator().next();
        List<Partner.ApiKeyView> keys = new ArrayList<>();
        for (Row row : rows) {
            if (row.getUUID("key_id") != null) {
                keys.add(new Partner.ApiKeyView(row.getUUID("key_id").toString(), row.getString("key_prefix"),
                        row.getOffsetDateTime("key_created_at"), row.getOffsetDateTime("revoked_at")));
            }
        }
        return new Partner(first.getString("partner_id"), first.getString("name"), scopes(first),
                first.getInteger("rate_limit_per_second"), first.getOffsetDateTime("created_at"), keys);
    }

    private static Set<Scope> scopes(Row row) {
        return Arrays.stream(row.getArrayOfStrings("scopes")).map(Scope::fromWireName)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
    }
}
