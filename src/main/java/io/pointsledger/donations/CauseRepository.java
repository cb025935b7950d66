package io.pointsledger.donations;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Causes as operators manage them and members list them, and their statements. Donations and the
 * program's matches are written by the ledger's write path only.
 */
@ApplicationScoped
class CauseRepository {

    private static final String COLUMNS = """
            sequence, cause_id, status, name, description, match_rate_basis_points, match_budget, matched, donated, balance,
            version, created_at\s""";

    private static final String INSERT = """
            INSERT INTO causes (cause_id, name, description, match_rate_basis_points, match_budget)
            VALUES ($1, $2, $3, $4, $5) RETURNING\s""" + COLUMNS;

    private static final String FIND = "SELECT " + COLUMNS + "FROM causes WHERE cause_id = $1";

    private static final String PAGE = "SELECT " + COLUMNS + """
            FROM causes WHERE sequence < $1 AND ($3::text IS NULL OR status = $3) ORDER BY sequence DESC LIMIT $2""";

    /** Relative, against the version {@code $3} names (null: any): a retried raise finds the version it moved. */
    private static final String ADD_BUDGET = """
            UPDATE causes SET match_budget = match_budget + $2, version = version + 1, updated_at = now()
             WHERE cause_id = $1 AND status = 'ACTIVE' AND ($3::bigint IS NULL OR version = $3)
            RETURNING\s""" + COLUMNS;

    private static final String CLOSE = """
            UPDATE causes SET status = 'CLOSED', version = version + CASE WHEN status = 'CLOSED' THEN 0 ELSE 1 END,
                              updated_at = now()
             WHERE cause_id = $1 RETURNING\s""" + COLUMNS;

    /** The cause's side of the ledger over a period: its entries, which the write path wrote with each donation. */
    private static final String STATEMENT = """
            SELECT COALESCE(sum(points) FILTER (WHERE kind = 'DONATION'), 0) AS donated,
                   COALESCE(sum(points) FILTER (WHERE kind = 'MATCH'), 0) AS matched,
                   count(*) FILTER (WHERE kind = 'DONATION') AS donations,
                   count(DISTINCT member_id) FILTER (WHERE kind = 'DONATION') AS donors
              FROM cause_entries WHERE cause_id = $1 AND occurred_at >= $2 AND occurred_at < $3""";

    private final Pool pool;

    CauseRepository(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    /** A cause with its place in the list, for paging. */
    record StoredCause(long sequence, Cause cause) {
    }

    /** A cause's entries summed over a period. */
    record Totals(long donated, long matched, long donations, long donors) {
    }

    Uni<StoredCause> insert(SqlClient transaction, UUID causeId, CauseRequest request) {
        CauseMatching matching = request.matchingOrNone();
        return transaction.preparedQuery(INSERT).execute(Tuple.of(causeId, request.name(), request.description(),
                matching.rateBasisPoints(), matching.budgetPoints())).map(CauseRepository::first);
    }

    Uni<StoredCause> find(UUID causeId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(causeId)).map(CauseRepository::first);
    }

    Uni<List<StoredCause>> page(CauseStatus status, long beforeSequence, int limit) {
        return pool.preparedQuery(PAGE).execute(Tuple.of(beforeSequence, limit, status == null ? null : status.name()))
                .map(CauseRepository::all);
    }

    Uni<StoredCause> addBudget(SqlClient transaction, UUID causeId, long points, Long version) {
        return transaction.preparedQuery(ADD_BUDGET).execute(Tuple.of(causeId, points, version)).map(CauseRepository::first);
    }

    Uni<StoredCause> close(SqlClient transaction, UUID causeId) {
        return transaction.preparedQuery(CLOSE).execute(Tuple.of(causeId)).map(CauseRepository::first);
    }

    Uni<Totals> totals(UUID causeId, OffsetDateTime from, OffsetDateTime to) {
        return pool.preparedQuery(STATEMENT).execute(Tuple.of(causeId, from, to)).map(rows -> {
            Row row = rows.iterator().next();
            return new Totals(row.getLong("donated"), row.getLong("matched"), row.getLong("donations"), row.getLong("donors"));
        });
    }

    private static StoredCause first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : stored(rows.iterator().next());
    }

    private static List<StoredCause> all(RowSet<Row> rows) {
        List<StoredCause> causes = new ArrayList<>(rows.size());
        rows.forEach(row -> causes.add(stored(row)));
        return causes;
    }

    private static StoredCause stored(Row row) {
        return new StoredCause(row.getLong("sequence"), new Cause(row.getUUID("cause_id"),
                CauseStatus.valueOf(row.getString("status")), row.getString("name"), row.getString("description"),
                new CauseMatching(row.getInteger("match_rate_basis_points"), row.getLong("match_budget")),
                row.getLong("donated"), row.getLong("matched"), row.getLong("balance"), row.getLong("version"),
                row.getOffsetDateTime("created_at")));
    }
}
