package io.pointsledger.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import redis.embedded.RedisServer;

/**
 * A real Redis Cluster of the test's own: three primaries on 127.0.0.1, each serving a third of
 * the 16384 slots, formed with CLUSTER ADDSLOTS and CLUSTER MEET as redis-cli would (the Redis
 * binary is embedded-redis', so no redis-cli is at hand). {@link #command} talks to one node.
 */
public class DisposableRedisCluster implements QuarkusTestResourceLifecycleManager {

    public static final int NODES = 3;
    private static final int SLOTS = 16384;
    private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(30);

    private static final List<Integer> PORTS = new ArrayList<>();
    private final List<RedisServer> servers = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            Path work = Files.createTempDirectory("redis-cluster");
            PORTS.clear();
            for (int node = 0; node < NODES; node++) {
                int port = FreePort.next();
                RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                        .setting("save \"\"").setting("appendonly no")
                        .setting("cluster-enabled yes")
                        .setting("cluster-config-file " + work.resolve("nodes-" + port + ".conf"))
                        .setting("cluster-node-timeout 5000")
                        .soutListener(line -> { }).serrListener(line -> { })
                        .build();
                server.start();
                servers.add(server);
                PORTS.add(port);
            }
            form();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.redis.client-type", "cluster",
                "quarkus.redis.hosts", PORTS.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(",")));
    }

    private static void form() {
        for (int node = 0; node < NODES; node++) {
            List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = node * SLOTS / NODES; slot < (node + 1) * SLOTS / NODES; slot++) {
                addSlots.add(Integer.toString(slot));
            }
            command(node, addSlots.toArray(String[]::new));
        }
        for (int node = 1; node < NODES; node++) {
            command(0, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(PORTS.get(node)));
        }
        Instant deadline = Instant.now().plus(FORMATION_TIMEOUT);
        for (int node = 0; node < NODES; node++) {
            while (!command(node, "CLUSTER", "INFO").contains("cluster_state:ok")
                    || !command(node, "CLUSTER", "INFO").contains("cluster_known_nodes:" + NODES)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("The Redis Cluster did not form within " + FORMATION_TIMEOUT);
                }
                sleep();
            }
        }
    }

    /** The node's answer to one command: a simple string, an error, an integer or a bulk string, as text. */
    public static String command(int node, String... arguments) {
        try (Socket socket = new Socket("127.0.0.1", PORTS.get(node))) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(arguments.length).append("\r\n");
            for (String argument : arguments) {
                request.append('$').append(argument.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(argument).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String reply(InputStream in) throws IOException {
        String line = line(in);
        if (line.startsWith("-")) {
            throw new IllegalStateException("Redis refused: " + line);
        }
        if (!line.startsWith("$")) {
            return line.substring(1);
        }
        int length = Integer.parseInt(line.substring(1));
        if (length < 0) {
            return null;
        }
        byte[] bulk = in.readNBytes(length + 2);
        return new String(bulk, 0, length, StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int next = in.read(); next != '\n'; next = in.read()) {
            if (next == -1) {
                throw new IOException("Redis closed the connection");
            }
            if (next != '\r') {
                line.append((char) next);
            }
        }
        return line.toString();
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        for (RedisServer server : servers) {
            try {
                if (server.isActive()) {
                    server.stop();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
