package io.pointsledger.platform;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The reactive PostgreSQL pool as Quarkus configures it, with two changes:
 *
 * <ul>
 * <li>no pool connection timeout. In Vert.x 4.5, {@code SqlConnectionPool.execute} arms a timer
 * of that length for every pooled query and cancels it only once a connection was acquired: when
 * acquiring fails (PostgreSQL refusing connections, shutting down or starting up), the query
 * fails at once, and the timer fails it a second time 30 s later, which throws
 * {@code IllegalStateException: Result is already complete} on the event loop, once per failed
 * acquisition. Waits are bounded instead by {@link DatabaseConfig#connectTimeout()} (PostgreSQL
 * away), the statement timeout (PostgreSQL busy) and, on the hot paths,
 * {@link DatabaseConfig#roundTripTimeout()};</li>
 * <li>a connect timeout, so that a PostgreSQL host that does not answer fails a connection
 * attempt within seconds;</li>
 * <li>a bounded wait queue ({@link DatabaseConfig#connectionWaitersMax()}): Vert.x's default is
 * unbounded, and Quarkus has no key for it;</li>
 * <li>prepared statements cached up to {@link #CACHED_STATEMENT_LENGTH_MAX} characters. Vert.x
 * caches only statements of up to 2 048 characters by default, and the write path's apply and lot
 * statements are longer: without this, PostgreSQL parsed and planned them again for every batch.</li>
 * </ul>
 */
@Singleton
public class DatabasePoolCreator implements PgPoolCreator {

    /** What Vert.x reads as "no timeout". */
    private static final int NO_TIMEOUT = 0;
    /** Longer than any statement of the service; the cache holds at most Vert.x's 256 statements a connection. */
    static final int CACHED_STATEMENT_LENGTH_MAX = 16_384;

    private final DatabaseConfig config;

    DatabasePoolCreator(DatabaseConfig config) {
        this.config = config;
    }

    @Override
    public Pool create(Input input) {
        PoolOptions options = new PoolOptions(input.poolOptions())
                .setConnectionTimeout(NO_TIMEOUT)
                .setMaxWaitQueueSize(config.connectionWaitersMax());
        int connectTimeoutMillis = Math.toIntExact(config.connectTimeout().toMillis());
        List<PgConnectOptions> servers = input.pgConnectOptionsList().stream()
                .map(server -> new PgConnectOptions(server).setConnectTimeout(connectTimeoutMillis)
                        .setPreparedStatementCacheSqlLimit(CACHED_STATEMENT_LENGTH_MAX))
                .toList();
        return PgDriver.INSTANCE.createPool(input.vertx(), servers, options);
    }
}
