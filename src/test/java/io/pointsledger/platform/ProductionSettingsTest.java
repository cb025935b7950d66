package io.pointsledger.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link ProductionSettings} on its own: settings that pass every rule, then one
 * setting spoiled at a time, which must give exactly one problem naming the variable to set.
 */
class ProductionSettingsTest {

    private static final String ADMIN_KEY = "a-random-operator-key-of-40-characters-x";
    private static final String ENCRYPTION_KEY = base64OfBytes(32, 'e');
    private static final String BLIND_INDEX_KEY = base64OfBytes(32, 'b');

    private final Map<String, String> settings = new HashMap<>(Map.of(
            ProductionSettings.DATABASE_PASSWORD, "a-database-password",
            ProductionSettings.MIGRATION_PASSWORD, "a-migration-password",
            ProductionSettings.DATABASE_SSL_MODE, "verify-full",
            ProductionSettings.DATABASE_CA_CERTIFICATE, "/etc/points-ledger/database-ca.pem",
            ProductionSettings.ADMIN_KEY, ADMIN_KEY,
            ProductionSettings.ENCRYPTION_KEYS, "k2:" + ENCRYPTION_KEY,
            ProductionSettings.ACTIVE_KEY_ID, "k2",
            ProductionSettings.BLIND_INDEX_KEY, BLIND_INDEX_KEY,
            ProductionSettings.REDIS_HOSTS, "rediss://redis.internal:6380",
            ProductionSettings.KAFKA_SECURITY_PROTOCOL, "SASL_SSL"));

    @Test
    void shouldAcceptStrongSettingsWithoutWarnings() {
        assertEquals(List.of(), problems());
        assertEquals(List.of(), checks().warnings());
    }

    @Test
    void shouldRefuseAMissingDatabasePassword() {
        settings.remove(ProductionSettings.DATABASE_PASSWORD);
        assertOneProblemNaming("POINTS_LEDGER_DB_PASSWORD");
    }

    @Test
    void shouldRefuseAnEmptyDatabasePassword() {
        settings.put(ProductionSettings.DATABASE_PASSWORD, "  ");
        assertOneProblemNaming("POINTS_LEDGER_DB_PASSWORD");
    }

    @Test
    void shouldRefuseAMissingMigrationPasswordWhenMigratingAtStart() {
        settings.remove(ProductionSettings.MIGRATION_PASSWORD);
        assertOneProblemNaming("POINTS_LEDGER_DB_MIGRATION_PASSWORD");
    }

    @Test
    void shouldNotAskForAMigrationPasswordWhenMigrationsRunElsewhere() {
        settings.remove(ProductionSettings.MIGRATION_PASSWORD);
        settings.put(ProductionSettings.MIGRATE_AT_START, "false");
        assertEquals(List.of(), problems());
    }

    @Test
    void shouldRefuseACertificateCheckingSslModeWithoutTheCaCertificate() {
        settings.remove(ProductionSettings.DATABASE_CA_CERTIFICATE);
        assertOneProblemNaming("POINTS_LEDGER_DB_CA_CERT");
    }

    @Test
    void shouldRefuseAnAdminKeyShorterThan32Characters() {
        settings.put(ProductionSettings.ADMIN_KEY, "x".repeat(ProductionSettings.ADMIN_KEY_LENGTH_MIN - 1));
        assertOneProblemNaming("POINTS_LEDGER_ADMIN_KEY");
        settings.put(ProductionSettings.ADMIN_KEY, "x".repeat(ProductionSettings.ADMIN_KEY_LENGTH_MIN));
        assertEquals(List.of(), problems());
    }

    @Test
    void shouldRefuseEveryPublishedAdminKey() {
        for (String published : ProductionSettings.PUBLIC_ADMIN_KEYS) {
            settings.put(ProductionSettings.ADMIN_KEY, published);
            assertOneProblemNaming("POINTS_LEDGER_ADMIN_KEY");
            assertTrue(problems().get(0).contains("published"), problems().get(0));
        }
    }

    @Test
    void shouldRefuseAnEncryptionKeyThatIsNot32Bytes() {
        settings.put(ProductionSettings.ENCRYPTION_KEYS, "k1:" + base64OfBytes(31, 'o') + ",k2:" + ENCRYPTION_KEY);
        assertOneProblemNaming("POINTS_LEDGER_PII_ENCRYPTION_KEYS key k1");
        settings.put(ProductionSettings.ENCRYPTION_KEYS, "k2:" + base64OfBytes(33, 'o'));
        assertOneProblemNaming("POINTS_LEDGER_PII_ENCRYPTION_KEYS key k2");
    }

    @Test
    void shouldRefuseAnEncryptionKeyThatIsNotBase64() {
        settings.put(ProductionSettings.ENCRYPTION_KEYS, "k2:not*base64");
        assertOneProblemNaming("POINTS_LEDGER_PII_ENCRYPTION_KEYS key k2");
    }

    @Test
    void shouldRefuseEveryPublishedEncryptionKey() {
        for (String published : ProductionSettings.PUBLIC_ENCRYPTION_KEYS) {
            settings.put(ProductionSettings.ENCRYPTION_KEYS, "k2:" + published);
            assertOneProblemNaming("POINTS_LEDGER_PII_ENCRYPTION_KEYS key k2");
            assertTrue(problems().get(0).contains("published"), problems().get(0));
        }
    }

    @Test
    void shouldRefuseAPublishedEncryptionKeyWrittenWithoutPadding() {
        String published = ProductionSettings.PUBLIC_ENCRYPTION_KEYS.iterator().next();
        settings.put(ProductionSettings.ENCRYPTION_KEYS, "k2:" + published.replace("=", ""));
        assertOneProblemNaming("POINTS_LEDGER_PII_ENCRYPTION_KEYS key k2");
    }

    @Test
    void shouldRefuseAnActiveKeyIdThatNamesNoKey() {
        settings.put(ProductionSettings.ACTIVE_KEY_ID, "k3");
        assertOneProblemNaming("POINTS_LEDGER_PII_ACTIVE_KEY_ID");
    }

    @Test
    void shouldRefuseABlindIndexKeyThatIsNot32Bytes() {
        settings.put(ProductionSettings.BLIND_INDEX_KEY, base64OfBytes(24, 'o'));
        assertOneProblemNaming("POINTS_LEDGER_PII_BLIND_INDEX_KEY");
    }

    @Test
    void shouldRefuseEveryPublishedBlindIndexKey() {
        for (String published : ProductionSettings.PUBLIC_BLIND_INDEX_KEYS) {
            settings.put(ProductionSettings.BLIND_INDEX_KEY, published);
            assertOneProblemNaming("POINTS_LEDGER_PII_BLIND_INDEX_KEY");
            assertTrue(problems().get(0).contains("published"), problems().get(0));
        }
    }

    @Test
    void shouldListEveryProblemInOneMessageWithoutTheSecrets() {
        settings.remove(ProductionSettings.DATABASE_PASSWORD);
        settings.put(ProductionSettings.ADMIN_KEY, "dev-admin-key");
        settings.put(ProductionSettings.BLIND_INDEX_KEY, "ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5");
        String message = ProductionSettings.refusal(problems());
        assertTrue(message.contains("(3 problems)"), message);
        for (String variable : List.of("POINTS_LEDGER_DB_PASSWORD", "POINTS_LEDGER_ADMIN_KEY", "POINTS_LEDGER_PII_BLIND_INDEX_KEY")) {
            assertTrue(message.contains(variable), message);
        }
        assertFalse(message.contains("dev-admin-key"), message);
        assertFalse(message.contains("ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5"), message);
    }

    @Test
    void shouldOnlyWarnAboutPlaintextDatabaseRedisAndKafka() {
        settings.put(ProductionSettings.DATABASE_SSL_MODE, "disable");
        settings.put(ProductionSettings.REDIS_HOSTS, "redis://redis.internal:6379");
        settings.put(ProductionSettings.KAFKA_SECURITY_PROTOCOL, "PLAINTEXT");
        assertEquals(List.of(), problems());
        List<String> warnings = checks().warnings();
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("POINTS_LEDGER_DB_SSL_MODE"), warnings.get(0));
        assertTrue(warnings.get(1).contains("POINTS_LEDGER_REDIS"), warnings.get(1));
        assertTrue(warnings.get(2).contains("kafka.security.protocol"), warnings.get(2));
    }

    @Test
    void shouldWarnAboutKafkaWithoutASecurityProtocol() {
        settings.remove(ProductionSettings.KAFKA_SECURITY_PROTOCOL);
        assertEquals(1, checks().warnings().size(), checks().warnings().toString());
    }

    private void assertOneProblemNaming(String variable) {
        List<String> problems = problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(variable), problems.get(0));
    }

    private List<String> problems() {
        return checks().problems();
    }

    private ProductionSettings checks() {
        return new ProductionSettings(name -> Optional.ofNullable(settings.get(name)));
    }

    private static String base64OfBytes(int length, char filler) {
        return Base64.getEncoder().encodeToString(String.valueOf(filler).repeat(length).getBytes());
    }
}
