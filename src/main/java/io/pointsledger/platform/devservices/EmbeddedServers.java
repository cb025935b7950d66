package io.pointsledger.platform.devservices;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import redis.embedded.RedisServer;

/**
 * Starts a real PostgreSQL (zonky embedded binaries) and a real Redis (embedded-redis binary) for
 * dev mode and tests. The only class that touches those libraries; loaded by name, dev and test only.
 *
 * <p>Every live reload and every test-profile restart builds the configuration again in a new class
 * loader, so static fields here start empty each time. The running servers are therefore recorded
 * in JVM-wide system properties and reused; they stop with the JVM through their shutdown hooks.
 */
public final class EmbeddedServers implements BiFunction<String, String, String> {

    private static final Logger LOG = Logger.getLogger(EmbeddedServers.class);
    private static final String PROPERTY_PREFIX = "points-ledger.embedded.";
    private static final Duration POSTGRES_START_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public String apply(String profile, String propertyName) {
        synchronized (System.class) {
            return switch (propertyName) {
                // The service's pool logs in as the runtime role, Flyway as the owner.
                case EmbeddedServicesConfigSourceFactory.REACTIVE_URL ->
                        EmbeddedDatabaseRoles.reactiveUrl(postgresPort(profile));
                case EmbeddedServicesConfigSourceFactory.JDBC_URL ->
                        EmbeddedDatabaseRoles.jdbcUrl(postgresPort(profile));
                case EmbeddedServicesConfigSourceFactory.FLYWAY_USERNAME -> EmbeddedDatabaseRoles.OWNER;
                case EmbeddedServicesConfigSourceFactory.FLYWAY_PASSWORD -> EmbeddedDatabaseRoles.OWNER_PASSWORD;
                case EmbeddedServicesConfigSourceFactory.REDIS_HOSTS ->
                        "redis://localhost:" + redisPort(profile);
                case EmbeddedServicesConfigSourceFactory.SMTP_HOST -> messageProviderHost(profile);
                case EmbeddedServicesConfigSourceFactory.SMTP_PORT -> Integer.toString(messageProviderPorts(profile)[0]);
                case EmbeddedServicesConfigSourceFactory.SMS_URL -> "http://127.0.0.1:" + messageProviderPorts(profile)[1] + "/sms";
                case EmbeddedServicesConfigSourceFactory.PUSH_URL -> "http://127.0.0.1:" + messageProviderPorts(profile)[1] + "/push";
                default -> null;
            };
        }
    }

    private static int postgresPort(String profile) {
        String key = PROPERTY_PREFIX + profile + ".postgres.port";
        String known = System.getProperty(key);
        if (known != null) {
            return Integer.parseInt(known);
        }
        WorkDirectory work = WorkDirectory.claim(profile);
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(work.path().resolve("pgdata"))
                    .setCleanDataDirectory(true)
                    .setPGStartupWait(POSTGRES_START_TIMEOUT)
                    // zonky turns durability off by default; dev and tests keep production's.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "256MB")
                    .start();
            int port = postgres.getPort();
            // Before the port is recorded: a server whose roles are missing is never reused.
            EmbeddedDatabaseRoles.create(port);
            System.setProperty(key, Integer.toString(port));
            LOG.infof("Started embedded PostgreSQL for %s on port %d (data in %s)", profile, port, work.path());
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
        }
    }

    private static int redisPort(String profile) {
        String key = PROPERTY_PREFIX + profile + ".redis.port";
        String known = System.getProperty(key);
        if (known != null) {
            return Integer.parseInt(known);
        }
        WorkDirectory work = WorkDirectory.claim(profile);
        int port = freePort();
        try {
            RedisServer redis = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("pidfile " + work.path().resolve("redis.pid"))
                    .soutListener(line -> { })
                    .serrListener(line -> { })
                    .build();
            redis.start();
            System.setProperty(key, Integer.toString(port));
            LOG.infof("Started embedded Redis for %s on port %d", profile, port);
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded Redis did not start", e);
        }
    }

    private static String messageProviderHost(String profile) {
        messageProviderPorts(profile);
        return "127.0.0.1";
    }

    /** The SMTP and the SMS/push provider ports, the servers started on first use ({@link LocalMessageProviders}). */
    private static int[] messageProviderPorts(String profile) {
        String key = PROPERTY_PREFIX + profile + ".message-providers.ports";
        String known = System.getProperty(key);
        if (known != null) {
            String[] ports = known.split(",");
            return new int[] {Integer.parseInt(ports[0]), Integer.parseInt(ports[1])};
        }
        int smtpPort = freePort();
        int httpPort = freePort();
        LocalMessageProviders.start("dev".equals(profile), smtpPort, httpPort);
        System.setProperty(key, smtpPort + "," + httpPort);
        LOG.infof("Started a local SMTP server on port %d and a local SMS/push provider on http://127.0.0.1:%d for %s",
                smtpPort, httpPort, profile);
        return new int[] {smtpPort, httpPort};
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code target/embedded-<profile>}, owned by one JVM at a time through a file lock. The first
     * owner stops servers orphaned by a JVM that was killed with SIGKILL. When another live JVM holds
     * the lock (two builds at once), a private temporary directory is used instead.
     */
    private record WorkDirectory(Path path) {

        private static final String LOCK_HELD_PROPERTY = PROPERTY_PREFIX + "lock-held.";

        static WorkDirectory claim(String profile) {
            String known = System.getProperty(LOCK_HELD_PROPERTY + profile);
            if (known != null) {
                return new WorkDirectory(Path.of(known));
            }
            Path directory = Path.of("target", "embedded-" + profile).toAbsolutePath();
            try {
                Files.createDirectories(directory);
                FileChannel channel = FileChannel.open(directory.resolve("jvm.lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    directory = Files.createTempDirectory("points-ledger-" + profile + "-");
                } else {
                    // The lock lives as long as the JVM: the channel is deliberately never closed.
                    stopOrphans(directory);
                }
                System.setProperty(LOCK_HELD_PROPERTY + profile, directory.toString());
                return new WorkDirectory(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot prepare " + directory, e);
            }
        }

        private static void stopOrphans(Path directory) throws IOException {
            firstLine(directory.resolve("pgdata").resolve("postmaster.pid")).ifPresent(pid -> stop(pid, "postgres"));
            firstLine(directory.resolve("redis.pid")).ifPresent(pid -> stop(pid, "redis-server"));
            Path pgdata = directory.resolve("pgdata");
            if (Files.exists(pgdata)) {
                try (Stream<Path> paths = Files.walk(pgdata)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }

        private static Optional<String> firstLine(Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().map(String::trim);
        }

        private static void stop(String pid, String expectedCommand) {
            try {
                ProcessHandle.of(Long.parseLong(pid))
                        .filter(process -> process.info().command().map(c -> c.contains(expectedCommand)).orElse(false))
                        .ifPresent(process -> {
                            LOG.infof("Stopping orphaned %s (pid %s) left by a killed JVM", expectedCommand, pid);
                            process.destroy();
                            process.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
                        });
            } catch (NumberFormatException e) {
                LOG.debugf("Ignoring unreadable pid file content %s", pid);
            }
        }
    }
}
