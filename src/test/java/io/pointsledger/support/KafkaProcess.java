package io.pointsledger.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka 4 (KRaft, broker and controller in one) in a child JVM, on loopback
 * ports, with its data in a temporary directory. Its state lives in system properties, not in
 * fields, so that the test resource that starts it and the test that stops and restarts it (in
 * another class loader) share it.
 */
public final class KafkaProcess {

    private static final String PREFIX = "points-ledger.test.kafka.";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private KafkaProcess() {
    }

    /** Formats a new data directory and starts the broker; answers its bootstrap address. */
    public static String startFresh() {
        try {
            Path directory = Files.createTempDirectory("points-ledger-kafka-");
            int brokerPort = FreePort.next();
            int controllerPort = FreePort.next();
            Files.writeString(directory.resolve("server.properties"), String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + directory.resolve("data"),
                    "num.partitions=4",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=true",
                    ""));
            String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
            Process format = java(directory, "format.log", "kafka.tools.StorageTool", "format",
                    "-t", clusterId, "-c", directory.resolve("server.properties").toString());
            if (!format.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("Kafka storage format failed; see " + directory.resolve("format.log"));
            }
            System.setProperty(PREFIX + "directory", directory.toString());
            System.setProperty(PREFIX + "port", Integer.toString(brokerPort));
            start();
            return bootstrapServers();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String bootstrapServers() {
        return "127.0.0.1:" + System.getProperty(PREFIX + "port");
    }

    /** Starts the broker on the existing data directory and waits until it accepts connections. */
    public static void start() {
        Path directory = Path.of(System.getProperty(PREFIX + "directory"));
        Process broker = java(directory, "broker.log", "kafka.Kafka", directory.resolve("server.properties").toString());
        System.setProperty(PREFIX + "pid", Long.toString(broker.pid()));
        int port = Integer.parseInt(System.getProperty(PREFIX + "port"));
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!accepts(port)) {
            if (!broker.isAlive() || Instant.now().isAfter(deadline)) {
                broker.destroyForcibly();
                throw new IllegalStateException("Kafka did not start; see " + directory.resolve("broker.log"));
            }
            pause();
        }
    }

    /** Stops the broker (SIGTERM, then SIGKILL after a bounded wait) and waits for it to be gone. */
    public static void stop() {
        String pid = System.getProperty(PREFIX + "pid");
        if (pid == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(process -> {
            process.destroy();
            try {
                process.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        });
        System.clearProperty(PREFIX + "pid");
    }

    private static Process java(Path directory, String logFile, String mainClass, String... arguments) {
        String javaBinary = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(javaBinary, "-Xmx512m", "-Xms128m",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(arguments));
        try {
            return new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve(logFile).toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }


    static String randomGroup() {
        return "points-ledger-test-" + UUID.randomUUID();
    }
}
