package io.pointsledger.support;

import io.pointsledger.platform.devservices.EmbeddedDatabaseRoles;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;

/**
 * A real PostgreSQL of the test's own, which the test may restart to prove the service survives
 * losing its database. The shared embedded PostgreSQL, which every other test uses, is left alone.
 * Configured like the shared one (durable commits, 200 connections, the owner and runtime roles).
 */
public class DisposablePostgres implements QuarkusTestResourceLifecycleManager {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static Path dataDirectory;
    private static int port;
    private static EmbeddedPostgres server;

    @Override
    public Map<String, String> start() {
        try {
            dataDirectory = Files.createTempDirectory("points-ledger-disposable-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = FreePort.next();
        server = startServer();
        EmbeddedDatabaseRoles.create(port);
        return Map.of(
                "quarkus.datasource.reactive.url", EmbeddedDatabaseRoles.reactiveUrl(port),
                "quarkus.datasource.jdbc.url", EmbeddedDatabaseRoles.jdbcUrl(port),
                "quarkus.flyway.username", EmbeddedDatabaseRoles.OWNER,
                "quarkus.flyway.password", EmbeddedDatabaseRoles.OWNER_PASSWORD);
    }

    /** The port the service reaches this PostgreSQL on, for the test's own connections. */
    public static int port() {
        return port;
    }

    /** {@code pg_ctl stop -m fast}: sessions are terminated (57P01) and new connections refused. */
    public static synchronized void stopFast() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code pg_ctl start -w} on the same data directory and port: back once it accepts connections. */
    public static synchronized void startAgain() {
        server = startServer();
    }

    /** initdb on the first start only: zonky deletes a "clean" data directory when it stops. */
    private static EmbeddedPostgres startServer() {
        try {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(START_TIMEOUT)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "200")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("The disposable PostgreSQL did not start", e);
        }
    }

    @Override
    public void stop() {
        // The data directory outlives restarts; it goes with the last one.
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dataDirectory);
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind harms nothing.
        }
    }
}
