package io.pointsledger.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application, started as production starts it ({@code java -jar}), with the public
 * development keys and no database password: it must exit on its own, non-zero, with the one
 * message naming every variable to set and none of the values. No PostgreSQL is needed: the check
 * runs before anything connects, and the address given points nowhere.
 */
class ProductionSettingsIT {

    /** A refused start takes a few seconds; this bounds a start that was not refused. */
    private static final long EXIT_WAIT_SECONDS_MAX = 120;

    private static final String PUBLIC_ADMIN_KEY = "dev-admin-key";
    private static final String PUBLIC_ENCRYPTION_KEY = "ZGV2LW9ubHktcGlpLWtleS0wMDAwMDAwMDAwMDAwMDA=";
    private static final String PUBLIC_BLIND_INDEX_KEY = "ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5";

    @TempDir
    Path workDirectory;

    @Test
    void shouldRefuseToStartWithPublicKeysAndNoDatabasePasswords() throws Exception {
        Path output = workDirectory.resolve("service.log");
        Process service = start(output);
        boolean exited = service.waitFor(EXIT_WAIT_SECONDS_MAX, TimeUnit.SECONDS);
        if (!exited) {
            service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(exited, "the service was still running after " + EXIT_WAIT_SECONDS_MAX + " s:\n" + log);
        assertNotEquals(0, service.exitValue(), log);
        assertTrue(log.contains("refuses to start with unsafe production settings"), log);
        for (String variable : List.of("POINTS_LEDGER_DB_PASSWORD", "POINTS_LEDGER_DB_MIGRATION_PASSWORD",
                "POINTS_LEDGER_ADMIN_KEY", "POINTS_LEDGER_PII_ENCRYPTION_KEYS", "POINTS_LEDGER_PII_BLIND_INDEX_KEY")) {
            assertTrue(log.contains("- " + variable), variable + " is not named:\n" + log);
        }
        for (String secret : List.of(PUBLIC_ENCRYPTION_KEY, PUBLIC_BLIND_INDEX_KEY)) {
            assertFalse(log.contains(secret), "a key was printed:\n" + log);
        }
    }

    private Process start(Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command())
                .directory(workDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("POINTS_LEDGER_") || name.startsWith("QUARKUS_"));
        environment.put("POINTS_LEDGER_DB", "127.0.0.1:1/nowhere");
        environment.put("POINTS_LEDGER_ADMIN_KEY", PUBLIC_ADMIN_KEY);
        environment.put("POINTS_LEDGER_PII_ENCRYPTION_KEYS", "dev1:" + PUBLIC_ENCRYPTION_KEY);
        environment.put("POINTS_LEDGER_PII_ACTIVE_KEY_ID", "dev1");
        environment.put("POINTS_LEDGER_PII_BLIND_INDEX_KEY", PUBLIC_BLIND_INDEX_KEY);
        return builder.start();
    }

    /** The native executable when the native profile built one, else {@code java -jar} of the packaged jar. */
    private static List<String> command() {
        List<String> ports = List.of("-Dquarkus.http.port=0", "-Dquarkus.management.port=0");
        String nativeRunner = System.getProperty("native.image.path", "");
        if (!nativeRunner.isEmpty() && new File(nativeRunner).canExecute()) {
            return Stream.concat(Stream.of(nativeRunner), ports.stream()).toList();
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        return Stream.of(Stream.of(java), ports.stream(), Stream.of("-jar", packagedJar().toString()))
                .flatMap(part -> part).toList();
    }

    /** The jar `./mvnw package` built: failsafe runs after the package phase and names it. */
    private static Path packagedJar() {
        String configured = System.getProperty("points-ledger.packaged-jar", "target/quarkus-app/quarkus-run.jar");
        File jar = new File(configured).getAbsoluteFile();
        assertTrue(jar.isFile(), jar + " is missing: run ./mvnw verify, which packages the application first");
        return jar.toPath();
    }
}
