package io.pointsledger.platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The rules a production start must meet: secrets that are present, long enough and not one of
 * the values this repository publishes for dev mode, tests and benchmarks. Plain Java over a
 * look-up of configuration values, so that each rule is tested without starting Quarkus.
 *
 * <p>A problem names the environment variable to set and never the value it found: the message
 * ends up in logs that more people read than hold the secrets.
 *
 * <p>Plaintext connections to Redis and Kafka are only warned about, not refused: both may sit on
 * a private network where TLS is left to the network itself.
 */
public final class ProductionSettings {

    /** Shortest operator key production accepts: 32 characters, as long as a random 128-bit hex key. */
    public static final int ADMIN_KEY_LENGTH_MIN = 32;

    /** AES-256 and HMAC-SHA256 keys are exactly this long once base64-decoded. */
    public static final int KEY_BYTES = 32;

    /** Operator keys published in this repository (dev mode, tests, earlier benchmark defaults). */
    public static final Set<String> PUBLIC_ADMIN_KEYS = Set.of("dev-admin-key", "bench-admin-key-0123456789");

    /** Base64 of the personal-data encryption keys published in this repository (dev and tests, benchmarks). */
    public static final Set<String> PUBLIC_ENCRYPTION_KEYS = Set.of(
            "ZGV2LW9ubHktcGlpLWtleS0wMDAwMDAwMDAwMDAwMDA=",
            "YmVuY2gtb25seS1waWkta2V5LTAwMDAwMDAwMDAwMDA=");

    /** Base64 of the blind-index keys published in this repository (dev and tests, benchmarks). */
    public static final Set<String> PUBLIC_BLIND_INDEX_KEYS = Set.of(
            "ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5",
            "YmVuY2gtb25seS1ibGluZC1pbmRleC1rZXk=");

    /** Database TLS modes that check the server's certificate, and so need the CA that signed it. */
    private static final Set<String> VERIFYING_SSL_MODES = Set.of("verify-ca", "verify-full");

    /** Database TLS modes that may send the password and the ledger in plaintext. */
    private static final Set<String> PLAINTEXT_SSL_MODES = Set.of("disable", "allow", "prefer");

    /** Kafka security protocols that encrypt the connection. */
    private static final Set<String> ENCRYPTED_KAFKA_PROTOCOLS = Set.of("SSL", "SASL_SSL");

    static final String DATABASE_PASSWORD = "quarkus.datasource.password";
    static final String MIGRATION_PASSWORD = "quarkus.flyway.password";
    static final String MIGRATE_AT_START = "quarkus.flyway.migrate-at-start";
    static final String DATABASE_SSL_MODE = "quarkus.datasource.reactive.postgresql.ssl-mode";
    static final String DATABASE_CA_CERTIFICATE = "quarkus.datasource.reactive.trust-certificate-pem.certs";
    static final String ADMIN_KEY = "points-ledger.security.admin-key";
    static final String ENCRYPTION_KEYS = "points-ledger.pii.encryption-keys";
    static final String ACTIVE_KEY_ID = "points-ledger.pii.active-key-id";
    static final String BLIND_INDEX_KEY = "points-ledger.pii.blind-index-key";
    static final String REDIS_HOSTS = "quarkus.redis.hosts";
    static final String KAFKA_SECURITY_PROTOCOL = "kafka.security.protocol";

    private final Function<String, Optional<String>> settings;

    /** @param settings a configuration look-up: empty for a key that is missing or blank */
    public ProductionSettings(Function<String, Optional<String>> settings) {
        this.settings = name -> settings.apply(name).map(String::trim).filter(value -> !value.isEmpty());
    }

    /** What makes a production start unsafe; empty when it may start. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        checkDatabasePassword(problems);
        checkMigrationPassword(problems);
        checkDatabaseCertificate(problems);
        checkAdminKey(problems);
        checkEncryptionKeys(problems);
        checkBlindIndexKey(problems);
        return problems;
    }

    /** What is allowed but worth a warning in production. */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        warnIfDatabasePlaintext(warnings);
        warnIfRedisPlaintext(warnings);
        warnIfKafkaPlaintext(warnings);
        return warnings;
    }

    /** The one message a refused start prints: every problem, one a line. */
    public static String refusal(List<String> problems) {
        StringBuilder message = new StringBuilder("points-ledger refuses to start with unsafe production settings ("
                + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):");
        for (String problem : problems) {
            message.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return message.toString();
    }

    private void checkDatabasePassword(List<String> problems) {
        if (settings.apply(DATABASE_PASSWORD).isEmpty()) {
            problems.add("POINTS_LEDGER_DB_PASSWORD is missing or empty: set the PostgreSQL password of POINTS_LEDGER_DB_USER");
        }
    }

    /**
     * Without it Flyway would log in as the runtime role, which may create nothing, and the start
     * would fail later on a bare "permission denied for schema public".
     */
    private void checkMigrationPassword(List<String> problems) {
        boolean migratesAtStart = !settings.apply(MIGRATE_AT_START).map("false"::equalsIgnoreCase).orElse(false);
        if (migratesAtStart && settings.apply(MIGRATION_PASSWORD).isEmpty()) {
            problems.add("POINTS_LEDGER_DB_MIGRATION_PASSWORD is missing or empty: set the PostgreSQL password of "
                    + "POINTS_LEDGER_DB_MIGRATION_USER, the owner that applies the migrations at start");
        }
    }

    private void checkDatabaseCertificate(List<String> problems) {
        if (VERIFYING_SSL_MODES.contains(databaseSslMode()) && settings.apply(DATABASE_CA_CERTIFICATE).isEmpty()) {
            problems.add("POINTS_LEDGER_DB_CA_CERT is missing: POINTS_LEDGER_DB_SSL_MODE=" + databaseSslMode()
                    + " checks PostgreSQL's certificate against it; set the path of the CA certificate (PEM)");
        }
    }

    private void checkAdminKey(List<String> problems) {
        Optional<String> adminKey = settings.apply(ADMIN_KEY);
        if (adminKey.isEmpty()) {
            problems.add("POINTS_LEDGER_ADMIN_KEY is missing: set a random key of at least " + ADMIN_KEY_LENGTH_MIN + " characters");
        } else if (PUBLIC_ADMIN_KEYS.contains(adminKey.get())) {
            problems.add("POINTS_LEDGER_ADMIN_KEY is a published development or benchmark key: set a random key of your own");
        } else if (adminKey.get().length() < ADMIN_KEY_LENGTH_MIN) {
            problems.add("POINTS_LEDGER_ADMIN_KEY is shorter than " + ADMIN_KEY_LENGTH_MIN + " characters: set a longer random key");
        }
    }

    private void checkEncryptionKeys(List<String> problems) {
        Optional<String> entries = settings.apply(ENCRYPTION_KEYS);
        if (entries.isEmpty()) {
            problems.add("POINTS_LEDGER_PII_ENCRYPTION_KEYS is missing: set <key id>:<base64 of " + KEY_BYTES + " random bytes>[,...]");
            return;
        }
        List<String> keyIds = new ArrayList<>();
        for (String entry : entries.get().split(",")) {
            int separator = entry.indexOf(':');
            if (separator <= 0) {
                problems.add("POINTS_LEDGER_PII_ENCRYPTION_KEYS has an entry that is not <key id>:<base64 key>");
                continue;
            }
            String keyId = entry.substring(0, separator).trim();
            keyIds.add(keyId);
            String key = entry.substring(separator + 1).trim();
            checkKey(problems, "POINTS_LEDGER_PII_ENCRYPTION_KEYS key " + keyId, key, PUBLIC_ENCRYPTION_KEYS);
        }
        Optional<String> activeKeyId = settings.apply(ACTIVE_KEY_ID);
        if (activeKeyId.isEmpty() || !keyIds.contains(activeKeyId.get())) {
            problems.add("POINTS_LEDGER_PII_ACTIVE_KEY_ID names none of the POINTS_LEDGER_PII_ENCRYPTION_KEYS ids");
        }
    }

    private void checkBlindIndexKey(List<String> problems) {
        Optional<String> key = settings.apply(BLIND_INDEX_KEY);
        if (key.isEmpty()) {
            problems.add("POINTS_LEDGER_PII_BLIND_INDEX_KEY is missing: set the base64 of " + KEY_BYTES + " random bytes");
            return;
        }
        checkKey(problems, "POINTS_LEDGER_PII_BLIND_INDEX_KEY", key.get(), PUBLIC_BLIND_INDEX_KEYS);
    }

    /** One key: base64 of exactly {@link #KEY_BYTES} bytes, and none of the published ones. */
    private static void checkKey(List<String> problems, String name, String base64, Set<String> publicKeys) {
        Optional<byte[]> key = decode(base64);
        if (key.isEmpty()) {
            problems.add(name + " is not valid base64: set the base64 of " + KEY_BYTES + " random bytes");
        } else if (isPublic(key.get(), publicKeys)) {
            problems.add(name + " is a published development or benchmark key: generate one of your own");
        } else if (key.get().length != KEY_BYTES) {
            problems.add(name + " decodes to " + key.get().length + " bytes, not " + KEY_BYTES
                    + ": set the base64 of " + KEY_BYTES + " random bytes");
        }
    }

    /** Compared decoded, so that the same key written with or without padding is still recognised. */
    private static boolean isPublic(byte[] key, Set<String> publicKeys) {
        return publicKeys.stream().map(ProductionSettings::decode).flatMap(Optional::stream)
                .anyMatch(publicKey -> Arrays.equals(publicKey, key));
    }

    private static Optional<byte[]> decode(String base64) {
        try {
            return Optional.of(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    private String databaseSslMode() {
        return settings.apply(DATABASE_SSL_MODE).orElse("disable").toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private void warnIfDatabasePlaintext(List<String> warnings) {
        if (PLAINTEXT_SSL_MODES.contains(databaseSslMode())) {
            warnings.add("POINTS_LEDGER_DB_SSL_MODE=" + databaseSslMode()
                    + ": the connection to PostgreSQL may be plaintext; use verify-full with POINTS_LEDGER_DB_CA_CERT");
        }
    }

    private void warnIfRedisPlaintext(List<String> warnings) {
        boolean plaintext = settings.apply(REDIS_HOSTS).stream().flatMap(hosts -> Arrays.stream(hosts.split(",")))
                .anyMatch(host -> !host.trim().startsWith("rediss://"));
        if (plaintext) {
            warnings.add("POINTS_LEDGER_REDIS is not a rediss:// (TLS) address: keep Redis on a private network, with AUTH");
        }
    }

    private void warnIfKafkaPlaintext(List<String> warnings) {
        String protocol = settings.apply(KAFKA_SECURITY_PROTOCOL).orElse("PLAINTEXT").toUpperCase(Locale.ROOT);
        if (!ENCRYPTED_KAFKA_PROTOCOLS.contains(protocol)) {
            warnings.add("kafka.security.protocol is " + protocol
                    + ": keep the brokers on a private network, or use SASL_SSL (deploy/README.md)");
        }
    }
}
