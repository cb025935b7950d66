package io.pointsledger.support;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A pool of the test's own that logs in as the migration owner, for what the service's runtime role
 * may not do: setting up a scenario by deleting derived rows, and proving that the append-only
 * triggers hold even for the owner of the tables. Tests that check the service read and write
 * through the service's own pool, as the runtime role.
 */
@ApplicationScoped
public class OwnerDatabase {

    private static final int CONNECTIONS_MAX = 2;

    private final Vertx vertx;
    private final String url;
    private final String user;
    private final String password;
    private Pool pool;

    OwnerDatabase(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.flyway.username") String user,
            @ConfigProperty(name = "quarkus.flyway.password") String password) {
        this.vertx = vertx;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public synchronized Pool pool() {
        if (pool == null) {
            PgConnectOptions connect = PgConnectOptions.fromUri(url).setUser(user).setPassword(password);
            pool = Pool.newInstance(PgBuilder.pool()
                    .with(new PoolOptions().setMaxSize(CONNECTIONS_MAX))
                    .connectingTo(connect)
                    .using(vertx.getDelegate())
                    .build());
        }
        return pool;
    }

    @PreDestroy
    synchronized void close() {
        if (pool != null) {
            pool.closeAndAwait();
        }
    }
}
