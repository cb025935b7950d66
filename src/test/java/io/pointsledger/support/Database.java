package io.pointsledger.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Direct reads of PostgreSQL, to check what the API says against what the database holds. */
public final class Database {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Database() {
    }

    public static long transferCount(Pool pool, UUID memberId) {
        return single(pool, "SELECT count(*) FROM transfers WHERE member_id = $1", memberId).getLong(0);
    }

    /** posted, held and version of the account row. */
    public static Row account(Pool pool, UUID memberId) {
        return single(pool, "SELECT posted, held, version, tier FROM member_accounts WHERE member_id = $1", memberId);
    }

    public static Row single(Pool pool, String sql, Object... arguments) {
        return pool.preparedQuery(sql).execute(Tuple.from(arguments)).await().atMost(TIMEOUT).iterator().next();
    }

    public static List<Row> all(Pool pool, String sql, Object... arguments) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(arguments)).await().atMost(TIMEOUT).forEach(rows::add);
        return rows;
    }

    public static void execute(Pool pool, String sql, Object... arguments) {
        pool.preparedQuery(sql).execute(Tuple.from(arguments)).await().atMost(TIMEOUT);
    }
}
