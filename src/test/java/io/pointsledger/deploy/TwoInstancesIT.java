package io.pointsledger.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pointsledger.platform.devservices.EmbeddedDatabaseRoles;
import io.pointsledger.support.DisposablePostgres;
import io.pointsledger.support.DisposableRedis;
import io.pointsledger.support.FreePort;
import io.pointsledger.support.KafkaProcess;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Two packaged instances in production settings, sharing one PostgreSQL, one Redis and one Kafka,
 * driven at the same time from many threads that alternate between them. What one instance writes
 * the other must respect: no overdraft across instances, one effect per idempotency key whichever
 * instance answers, one winner per hold, a key revoked on one refused by the other within seconds,
 * balances equal everywhere and equal to the ledger, and one outbox relay that puts every transfer
 * on the topic once, in per-member order.
 *
 * <p>The scenarios run in order on shared servers: the last ones check what the earlier ones wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {

    /** Start of one instance, migrations included for the first, on a machine shared with a build. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** The revocation is broadcast through Redis pub/sub: a couple of seconds is generous. */
    private static final Duration REVOCATION_DEADLINE = Duration.ofSeconds(3);
    private static final Duration CAMPAIGN_CHANGE_DEADLINE = Duration.ofSeconds(1);
    private static final Duration EVENTS_DEADLINE = Duration.ofSeconds(45);
    /** A write the database rolled back under load (503) is retried with its key, this many times at most. */
    private static final int UNAVAILABLE_RETRIES_MAX = 5;
    private static final int CLIENT_THREADS = 8;
    private static final int MEMBERS = 12;
    private static final long EARN_POINTS_PER_INSTANCE = 500;
    private static final int REDEEMS_PER_MEMBER = 12;
    private static final long REDEEM_POINTS = 150;
    private static final int SAME_KEY_RACES = 5;
    private static final int HOLD_RACES = 6;
    private static final String TOPIC = "ledger-events";
    private static final String NOTIFICATIONS_TOPIC = "ledger-notifications";
    /** Both schedulers look every minute; a restarted instance's first look comes within one more. */
    private static final Duration REMINDERS_DEADLINE = Duration.ofSeconds(150);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String adminKey = "two-instances-" + HexFormat.of().formatHex(randomBytes(24));
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(CLIENT_THREADS);
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(httpThreads)
            .build();
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
    private final ScheduledExecutorService leaseSampler = Executors.newSingleThreadScheduledExecutor();
    private final Path logDirectory = Paths.get("target", "two-instances").toAbsolutePath();

    /** Every transfer id an answer named: each must reach the topic. */
    private final Set<UUID> transferIdsSeen = ConcurrentHashMap.newKeySet();
    /** Every holder the relay lease had while both instances ran, sampled. */
    private final Set<String> leaseHolders = ConcurrentHashMap.newKeySet();

    private final DisposablePostgres postgres = new DisposablePostgres();
    private final DisposableRedis redis = new DisposableRedis();
    /** The two instances the scenarios drive, once both are ready. */
    private final List<Instance> instances = new ArrayList<>();
    /** The instances' settings: a restarted one gets the same. */
    private Map<String, String> environment;
    /** Every instance launched, ready or not: each is stopped, and its log shown on failure. */
    private final List<Instance> started = new ArrayList<>();
    private volatile boolean failed;

    @RegisterExtension
    final TestWatcher printLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed = true;
        }
    };

    private record Instance(String name, Process process, URI api, URI management, Path log) {
    }

    @BeforeAll
    void startServersAndTwoInstances() throws Exception {
        Files.createDirectories(logDirectory);
        try {
            postgres.start();
            String redisHosts = redis.start().get("quarkus.redis.hosts");
            String kafka = KafkaProcess.startFresh();
            environment = productionEnvironment(redisHosts, kafka);
            // One after the other: the first runs the migrations, the second finds them applied.
            instances.add(startInstance("a", environment));
            instances.add(startInstance("b", environment));
            leaseSampler.scheduleWithFixedDelay(this::sampleLeaseHolder, 0, 200, TimeUnit.MILLISECONDS);
        } catch (Throwable e) {
            failed = true;
            throw e;
        }
    }

    @AfterAll
    void stopEverything() {
        leaseSampler.shutdownNow();
        clients.shutdownNow();
        httpThreads.shutdownNow();
        // Both are told to stop before either is waited for: each drains for several seconds.
        started.forEach(instance -> instance.process().destroy());
        for (Instance instance : started) {
            stop(instance.process());
        }
        if (failed) {
            for (Instance instance : started) {
                printTail(instance.log());
            }
        }
        KafkaProcess.stop();
        redis.stop();
        postgres.stop();
    }

    // ---------------------------------------------------------------------------------------------
    // Scenarios

    @Test
    @Order(0)
    void shouldMigrateOnceWhenTheSecondInstanceStartsOnTheSameDatabase() throws Exception {
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement("SELECT count(*), count(DISTINCT version), "
                        + "count(*) FILTER (WHERE NOT success) FROM flyway_schema_history WHERE version IS NOT NULL");
                ResultSet rows = query.executeQuery()) {
            assertTrue(rows.next());
            assertTrue(rows.getInt(1) > 0, "no migration recorded");
            assertEquals(rows.getInt(2), rows.getInt(1), "a migration was recorded twice");
            assertEquals(0, rows.getInt(3), "a migration failed");
        }
        String secondLog = Files.readString(instances.get(1).log(), StandardCharsets.UTF_8);
        assertFalse(secondLog.contains("Migrating schema"), "the second instance migrated again");
    }

    @Test
    @Order(1)
    void shouldNeverOverdrawWhenRedeemsOfOneMemberAreSplitAcrossInstances() throws Exception {
        List<UUID> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            members.add(enroll(instance(i)));
        }
        // Both instances award points to every member, at the same time.
        List<Callable<Void>> earns = new ArrayList<>();
        for (UUID member : members) {
            for (Instance instance : instances) {
                earns.add(() -> {
                    HttpResponse<String> answer = writeWithRetries(instance, "/v1/members/" + member + "/earn",
                            UUID.randomUUID().toString(), earnBody(EARN_POINTS_PER_INSTANCE));
                    assertEquals(201, answer.statusCode(), answer.body());
                    recordTransfer(answer);
                    return null;
                });
            }
        }
        runAll(earns);
        long earned = EARN_POINTS_PER_INSTANCE * instances.size();

        // More redeems than the balance covers, of each member, alternating instances.
        Map<UUID, AtomicLong> redeemed = new ConcurrentHashMap<>();
        List<Callable<Void>> redeems = new ArrayList<>();
        for (UUID member : members) {
            redeemed.put(member, new AtomicLong());
            for (int i = 0; i < REDEEMS_PER_MEMBER; i++) {
                Instance instance = instance(i);
                redeems.add(() -> {
                    HttpResponse<String> answer = writeWithRetries(instance, "/v1/members/" + member + "/redeem",
                            UUID.randomUUID().toString(), redeemBody(REDEEM_POINTS));
                    if (answer.statusCode() == 201) {
                        recordTransfer(answer);
                        redeemed.get(member).addAndGet(REDEEM_POINTS);
                        assertTrue(json(answer).get("available").asLong() >= 0, answer.body());
                    } else {
                        assertEquals(409, answer.statusCode(), answer.body());
                        assertEquals("INSUFFICIENT_POINTS", json(answer).get("code").asText(), answer.body());
                    }
                    return null;
                });
            }
        }
        runAll(redeems);

        for (UUID member : members) {
            long spent = redeemed.get(member).get();
            assertTrue(spent <= earned, member + " redeemed " + spent + " of " + earned);
            // Every redeem that fits was taken: what is left is less than one more redeem.
            assertTrue(earned - spent < REDEEM_POINTS, member + " was refused a redeem it could afford");
            for (Instance instance : instances) {
                JsonNode balance = balance(instance, member);
                assertEquals(earned - spent, balance.get("available").asLong(), instance.name() + ": " + balance);
                assertEquals(earned - spent, balance.get("posted").asLong(), instance.name() + ": " + balance);
            }
        }
    }

    @Test
    @Order(2)
    void shouldApplyOneRequestOnceWhenItsKeyReachesBothInstancesAtOnce() throws Exception {
        UUID member = enrollWithPoints(instances.get(0), 1_000);
        for (int race = 1; race <= SAME_KEY_RACES; race++) {
            String key = "both-at-once-" + UUID.randomUUID();
            String body = redeemBody(100);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (Instance instance : instances) {
                answers.add(clients.submit(() -> {
                    start.await(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    return writeWithRetries(instance, "/v1/members/" + member + "/redeem", key, body);
                }));
            }
            start.countDown();
            HttpResponse<String> first = answers.get(0).get(REQUEST_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
            HttpResponse<String> second = answers.get(1).get(REQUEST_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
            assertEquals(201, first.statusCode(), first.body());
            assertEquals(201, second.statusCode(), second.body());
            assertEquals(json(first), json(second), "both instances answer the one transfer");
            long replays = Stream.of(first, second).filter(TwoInstancesIT::replayed).count();
            assertEquals(1, replays, "exactly one answer is the replay");
            recordTransfer(first);

            assertEquals(1, transfersWithKey(key), "one transfer for the key");
            for (Instance instance : instances) {
                assertEquals(1_000 - 100L * race, balance(instance, member).get("available").asLong(), instance.name());
            }
        }
    }

    @Test
    @Order(3)
    void shouldReplayOnTheOtherInstanceWhatTheFirstApplied() throws Exception {
        UUID member = enrollWithPoints(instances.get(1), 1_000);
        String key = "one-then-other-" + UUID.randomUUID();
        String body = redeemBody(250);
        HttpResponse<String> original = writeWithRetries(instances.get(0), "/v1/members/" + member + "/redeem", key, body);
        HttpResponse<String> replay = writeWithRetries(instances.get(1), "/v1/members/" + member + "/redeem", key, body);
        assertEquals(201, original.statusCode(), original.body());
        assertFalse(replayed(original), "the first answer is no replay");
        assertEquals(201, replay.statusCode(), replay.body());
        assertTrue(replayed(replay), "the second instance says it replays");
        assertEquals(json(original), json(replay));
        recordTransfer(original);

        // The same key with another request is refused on the other instance too.
        HttpResponse<String> reused = writeWithRetries(instances.get(1), "/v1/members/" + member + "/redeem", key,
                redeemBody(251));
        assertEquals(422, reused.statusCode(), reused.body());
        assertEquals("IDEMPOTENCY_KEY_REUSED", json(reused).get("code").asText());

        assertEquals(1, transfersWithKey(key), "one transfer for the key");
        for (Instance instance : instances) {
            assertEquals(750, balance(instance, member).get("available").asLong(), instance.name());
        }
    }

    @Test
    @Order(4)
    void shouldCaptureOnOneInstanceAHoldMadeOnTheOther() throws Exception {
        UUID member = enrollWithPoints(instances.get(0), 1_000);
        String holdId = createHold(instances.get(0), member, 300);
        HttpResponse<String> capture = writeWithRetries(instances.get(1), "/v1/holds/" + holdId + "/capture",
                UUID.randomUUID().toString(), null);
        assertEquals(200, capture.statusCode(), capture.body());
        assertEquals("CAPTURED", json(capture).get("status").asText());
        assertEquals(300, json(capture).get("capturedPoints").asLong());
        recordTransfer(capture);
        for (Instance instance : instances) {
            JsonNode balance = balance(instance, member);
            assertEquals(700, balance.get("available").asLong(), instance.name() + ": " + balance);
            assertEquals(0, balance.get("held").asLong(), instance.name() + ": " + balance);
        }
    }

    @Test
    @Order(5)
    void shouldLetExactlyOneOfTwoConcurrentCapturesOfAHoldSucceed() throws Exception {
        UUID member = enrollWithPoints(instances.get(1), 1_000);
        long captured = 0;
        for (int race = 0; race < HOLD_RACES; race++) {
            String holdId = createHold(instance(race), member, 100);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (Instance instance : instances) {
                answers.add(clients.submit(() -> {
                    start.await(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    // Distinct keys: two different requests, not one retried.
                    return writeWithRetries(instance, "/v1/holds/" + holdId + "/capture", UUID.randomUUID().toString(), null);
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<HttpResponse<String>> future : answers) {
                HttpResponse<String> answer = future.get(REQUEST_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
                if (answer.statusCode() == 200) {
                    wins++;
                    recordTransfer(answer);
                } else {
                    assertEquals(409, answer.statusCode(), answer.body());
                    assertEquals("HOLD_NOT_PENDING", json(answer).get("code").asText(), answer.body());
                }
            }
            assertEquals(1, wins, "hold " + holdId + ": one capture wins");
            captured += 100;
            for (Instance instance : instances) {
                JsonNode hold = json(send(instance, "/v1/holds/" + holdId, get(adminKey)));
                assertEquals("CAPTURED", hold.get("status").asText(), instance.name() + ": " + hold);
            }
        }
        for (Instance instance : instances) {
            JsonNode balance = balance(instance, member);
            assertEquals(1_000 - captured, balance.get("posted").asLong(), instance.name() + ": " + balance);
            assertEquals(0, balance.get("held").asLong(), instance.name() + ": " + balance);
        }
    }

    @Test
    @Order(6)
    void shouldRefuseOnTheOtherInstanceWithinSecondsAKeyRevokedOnOne() throws Exception {
        Instance a = instances.get(0);
        Instance b = instances.get(1);
        UUID member = enrollWithPoints(a, 100);
        HttpResponse<String> partner = send(a, "/v1/admin/partners", post(UUID.randomUUID().toString(),
                "{\"name\":\"Two Instances Co\",\"scopes\":[\"read\"],\"rateLimitPerSecond\":1000}"));
        assertEquals(201, partner.statusCode(), partner.body());
        String partnerId = json(partner).get("partnerId").asText();
        HttpResponse<String> issued = send(a, "/v1/admin/partners/" + partnerId + "/keys",
                post(UUID.randomUUID().toString(), null));
        assertEquals(201, issued.statusCode(), issued.body());
        String partnerKey = json(issued).get("apiKey").asText();
        String keyId = json(issued).get("keyId").asText();

        // Both instances know (and cache) the key before it is revoked.
        for (Instance instance : instances) {
            HttpResponse<String> read = send(instance, "/v1/members/" + member + "/balance", get(partnerKey));
            assertEquals(200, read.statusCode(), instance.name() + ": " + read.body());
        }
        HttpResponse<String> revoked = send(a, "/v1/admin/partners/" + partnerId + "/keys/" + keyId,
                get(adminKey).DELETE().header("Idempotency-Key", UUID.randomUUID().toString()));
        assertEquals(204, revoked.statusCode(), revoked.body());
        Instant revokedAt = Instant.now();

        Instant deadline = revokedAt.plus(REVOCATION_DEADLINE);
        int status;
        do {
            status = send(b, "/v1/members/" + member + "/balance", get(partnerKey)).statusCode();
            if (status != 401) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } while (status != 401 && Instant.now().isBefore(deadline));
        assertEquals(401, status, "instance b still accepted the key " + REVOCATION_DEADLINE.toMillis() + " ms after "
                + "instance a revoked it");
        System.out.printf("Instance b refused the revoked key %d ms after the revocation%n",
                Duration.between(revokedAt, Instant.now()).toMillis());
        assertEquals(401, send(a, "/v1/members/" + member + "/balance", get(partnerKey)).statusCode());
    }

    /** A campaign activated on one instance is applied by the other within a second: a Redis broadcast. */
    @Test
    @Order(7)
    void shouldShowOnTheOtherInstanceWithinASecondACampaignActivatedOnOne() throws Exception {
        Instance a = instances.get(0);
        Instance b = instances.get(1);
        String sku = "SKU-TWO-INSTANCES-" + UUID.randomUUID();
        HttpResponse<String> created = send(a, "/v1/admin/campaigns", post(UUID.randomUUID().toString(),
                "{\"name\":\"Two instances\",\"trigger\":\"PURCHASE\",\"priority\":1,"
                        + "\"conditions\":{\"skus\":[\"" + sku + "\"]},\"effect\":{\"bonusPoints\":5}}"));
        assertEquals(201, created.statusCode(), created.body());
        String campaignId = json(created).get("campaignId").asText();

        HttpResponse<String> activated = send(a, "/v1/admin/campaigns/" + campaignId + "/activate", post(null, null));
        assertEquals(200, activated.statusCode(), activated.body());
        Instant activatedAt = Instant.now();
        awaitActiveOn(b, campaignId, true, activatedAt);
        UUID member = enrollWithPoints(a, 100);
        HttpResponse<String> earned = writeWithRetries(b, "/v1/members/" + member + "/earn", UUID.randomUUID().toString(),
                "{\"orderId\":\"two-" + member + "\",\"amount\":{\"value\":1000,\"currency\":\"USD\"},\"channel\":\"POS\","
                        + "\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1,\"unitPrice\":1000}]}");
        assertEquals(201, earned.statusCode(), earned.body());
        recordTransfer(earned);
        assertEquals(campaignId, json(earned).path("bonuses").path(0).path("campaignId").asText(), earned.body());
        assertEquals(5, json(earned).path("bonuses").path(0).path("points").asLong(), "the bonus, applied by instance b");

        HttpResponse<String> ended = send(b, "/v1/admin/campaigns/" + campaignId + "/end", post(null, null));
        assertEquals(200, ended.statusCode(), ended.body());
        awaitActiveOn(a, campaignId, false, Instant.now());
    }

    private void awaitActiveOn(Instance instance, String campaignId, boolean active, Instant changedAt) throws Exception {
        Instant deadline = changedAt.plus(CAMPAIGN_CHANGE_DEADLINE);
        boolean seen;
        do {
            HttpResponse<String> set = send(instance, "/v1/admin/campaigns/active", get(adminKey));
            assertEquals(200, set.statusCode(), set.body());
            seen = set.body().contains(campaignId) == active;
            if (!seen) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } while (!seen && Instant.now().isBefore(deadline));
        assertTrue(seen, instance.name() + " did not see the campaign " + (active ? "activated" : "ended") + " within "
                + CAMPAIGN_CHANGE_DEADLINE.toMillis() + " ms");
        System.out.printf("%s saw the campaign %s %d ms after the change%n", instance.name(), active ? "activated" : "ended",
                Duration.between(changedAt, Instant.now()).toMillis());
    }

    @Test
    @Order(8)
    void shouldAnswerTheLedgerBalanceOnBothInstancesAndReconcile() throws Exception {
        Map<UUID, long[]> ledger = new HashMap<>();
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT member_id, sum(posted_delta), sum(held_delta) FROM transfers GROUP BY member_id");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                ledger.put(rows.getObject(1, UUID.class), new long[] {rows.getLong(2), rows.getLong(3)});
            }
        }
        assertFalse(ledger.isEmpty());
        for (Map.Entry<UUID, long[]> account : ledger.entrySet()) {
            for (Instance instance : instances) {
                JsonNode balance = balance(instance, account.getKey());
                assertEquals(account.getValue()[0], balance.get("posted").asLong(), instance.name() + ": " + balance);
                assertEquals(account.getValue()[1], balance.get("held").asLong(), instance.name() + ": " + balance);
                assertTrue(balance.get("available").asLong() >= 0, instance.name() + ": " + balance);
            }
        }
        for (Instance instance : instances) {
            HttpResponse<String> reconciliation = send(instance, "/v1/admin/reconciliation", get(adminKey));
            assertEquals(200, reconciliation.statusCode(), reconciliation.body());
            assertEquals(0, json(reconciliation).get("mismatchCount").asInt(), instance.name() + ": " + reconciliation.body());
            assertEquals(ledger.size(), json(reconciliation).get("membersChecked").asInt(), reconciliation.body());
        }
    }

    @Test
    @Order(9)
    void shouldPublishEveryTransferOnceInMemberOrderThroughOneRelay() throws Exception {
        Set<UUID> ledgerTransferIds = new HashSet<>();
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement("SELECT transfer_id FROM transfers");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                ledgerTransferIds.add(rows.getObject(1, UUID.class));
            }
        }
        assertTrue(ledgerTransferIds.containsAll(transferIdsSeen), "every transfer an answer named is in the ledger");

        Map<UUID, String> payloads = new HashMap<>();
        Map<UUID, Long> lastVersion = new HashMap<>();
        // A CAMPAIGN_BONUS comes right after the TRANSFER_RECORDED of the earn it names, on the member's partition.
        Map<UUID, UUID> lastTransferOfMember = new HashMap<>();
        Set<UUID> earnsWithBonuses = new HashSet<>();
        Set<UUID> bonusEvents = new HashSet<>();
        int duplicates = 0;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            Instant deadline = Instant.now().plus(EVENTS_DEADLINE);
            assignFromBeginning(consumer, deadline);
            while (!(payloads.keySet().containsAll(ledgerTransferIds) && bonusEvents.containsAll(earnsWithBonuses))
                    && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = JSON.readTree(record.value());
                    UUID memberId = UUID.fromString(event.get("memberId").asText());
                    assertEquals(memberId.toString(), record.key(), "events are keyed by member");
                    String type = event.path("eventType").asText();
                    if ("CAMPAIGN_BONUS".equals(type)) {
                        UUID earn = UUID.fromString(event.get("transferId").asText());
                        assertEquals(earn, lastTransferOfMember.get(memberId), "a bonus event follows its earn's event");
                        assertEquals(payloads.get(earn) == null ? null : JSON.readTree(payloads.get(earn)).get("bonuses"),
                                event.get("bonuses"), "the bonus event lists the earn's bonuses");
                        bonusEvents.add(earn);
                        continue;
                    }
                    if (!"TRANSFER_RECORDED".equals(type)) {
                        continue; // MEMBER_ENROLLED: not a transfer's event
                    }
                    UUID transferId = UUID.fromString(event.get("transferId").asText());
                    lastTransferOfMember.put(memberId, transferId);
                    if (!event.path("bonuses").isEmpty()) {
                        earnsWithBonuses.add(transferId);
                    }
                    String earlier = payloads.putIfAbsent(transferId, record.value());
                    if (earlier != null) {
                        // Delivery is at least once; a second copy must be the same event.
                        assertEquals(JSON.readTree(earlier), event, "transfer " + transferId + " arrived twice, different");
                        duplicates++;
                        continue;
                    }
                    long version = event.get("account").get("version").asLong();
                    Long previous = lastVersion.put(memberId, version);
                    assertTrue(previous == null || version > previous, "member " + memberId + ": version " + version
                            + " arrived after " + previous);
                }
            }
        }
        Set<UUID> missing = new HashSet<>(ledgerTransferIds);
        missing.removeAll(payloads.keySet());
        assertTrue(missing.isEmpty(), missing.size() + " of " + ledgerTransferIds.size() + " transfers never reached "
                + TOPIC + " within " + EVENTS_DEADLINE.toSeconds() + " s, e.g. " + missing.stream().limit(5).toList());
        assertEquals(ledgerTransferIds, payloads.keySet(), "no event names a transfer the ledger does not have");
        assertEquals(earnsWithBonuses, bonusEvents, "one CAMPAIGN_BONUS for each earn campaigns added to");
        assertFalse(earnsWithBonuses.isEmpty(), "the campaign test's earn carried a bonus");
        System.out.printf("%d transfers on %s (%d named by answers), %d duplicate deliveries%n",
                payloads.size(), TOPIC, transferIdsSeen.size(), duplicates);

        // One relay at a time: the lease had one holder all along, and still has it.
        sampleLeaseHolder();
        Set<String> holders = leaseHolders.stream().filter(holder -> !holder.equals("nobody")).collect(Collectors.toSet());
        assertEquals(1, holders.size(), "relay lease holders seen: " + holders);
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*), count(*) FILTER (WHERE expires_at > now()) FROM outbox_relay_lease");
                ResultSet rows = query.executeQuery()) {
            assertTrue(rows.next());
            assertEquals(1, rows.getInt(1), "one lease row");
            assertEquals(1, rows.getInt(2), "the lease is held");
        }
    }

    /**
     * Reservation reminders are rows planned with the booking: three bookings made on one instance,
     * then that instance restarted, and every reminder sent exactly once by the two schedulers
     * running (each looks every minute and takes what is due with SKIP LOCKED): one sent mark per
     * reminder and one RESERVATION_REMINDER on the notifications topic.
     */
    @Test
    @Order(10)
    void shouldSendEachReservationReminderOnceAcrossTwoInstancesAndARestart() throws Exception {
        Instance booking = instance(0);
        StringBuilder hours = new StringBuilder();
        for (String day : List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")) {
            hours.append(hours.isEmpty() ? "" : ",").append("{\"day\":\"").append(day).append("\",\"opens\":\"09:00\",\"closes\":\"18:00\"}");
        }
        HttpResponse<String> created = writeWithRetries(booking, "/v1/admin/bookables", UUID.randomUUID().toString(),
                "{\"store\":\"TWO\",\"service\":\"Fitting\",\"capacity\":3,\"slotMinutes\":60,\"openingHours\":[" + hours + "]}");
        assertEquals(201, created.statusCode(), created.body());
        String bookableId = json(created).get("bookableId").asText();
        UUID member = enroll(booking);
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        for (int day = 2; day <= 4; day++) {
            String date = today.plusDays(day).toString();
            HttpResponse<String> availability = send(booking, "/v1/bookables/" + bookableId + "/availability?from=" + date,
                    get(adminKey));
            String startsAt = json(availability).get("slots").get(0).get("startsAt").asText();
            HttpResponse<String> booked = writeWithRetries(booking, "/v1/members/" + member + "/reservations",
                    UUID.randomUUID().toString(), "{\"bookableId\":\"" + bookableId + "\",\"startsAt\":\"" + startsAt + "\"}");
            assertEquals(201, booked.statusCode(), booked.body());
        }
        assertEquals(6, remindersOf(member, "true"), "two reminders planned with each booking");

        stop(booking.process());
        instances.set(0, startInstance("a-restarted", environment));
        try (Connection connection = database();
                PreparedStatement due = connection.prepareStatement(
                        "UPDATE reservation_reminders SET due_at = now() - interval '1 minute' WHERE member_id = ?")) {
            due.setObject(1, member);
            assertEquals(6, due.executeUpdate());
        }

        Instant deadline = Instant.now().plus(REMINDERS_DEADLINE);
        while (remindersOf(member, "sent_at IS NOT NULL") < 6 && Instant.now().isBefore(deadline)) {
            TimeUnit.SECONDS.sleep(1);
        }
        assertEquals(6, remindersOf(member, "sent_at IS NOT NULL"), "every reminder sent by one of the two schedulers");
        Map<String, Integer> events = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            assignFromBeginning(consumer, NOTIFICATIONS_TOPIC, Instant.now().plus(EVENTS_DEADLINE));
            Instant until = Instant.now().plus(Duration.ofSeconds(20));
            while (Instant.now().isBefore(until)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = JSON.readTree(record.value());
                    if ("RESERVATION_REMINDER".equals(event.path("eventType").asText())
                            && member.toString().equals(event.path("memberId").asText())) {
                        events.merge(event.path("reminderId").asText(), 1, Integer::sum);
                    }
                }
            }
        }
        assertEquals(6, events.size(), "an event for each reminder: " + events);
        assertTrue(events.values().stream().allMatch(count -> count == 1), "each reminder published once: " + events);
    }

    private long remindersOf(UUID member, String condition) throws SQLException {
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM reservation_reminders WHERE member_id = ? AND " + condition)) {
            query.setObject(1, member);
            try (ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next());
                return rows.getLong(1);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The API

    private UUID enroll(Instance instance) throws Exception {
        HttpResponse<String> answer = writeWithRetries(instance, "/v1/members", UUID.randomUUID().toString(),
                "{\"name\":\"Two Instances\",\"channel\":\"ONLINE\"}");
        assertEquals(201, answer.statusCode(), answer.body());
        return UUID.fromString(json(answer).get("memberId").asText());
    }

    private UUID enrollWithPoints(Instance instance, long points) throws Exception {
        UUID member = enroll(instance);
        HttpResponse<String> earn = writeWithRetries(instance, "/v1/members/" + member + "/earn",
                UUID.randomUUID().toString(), earnBody(points));
        assertEquals(201, earn.statusCode(), earn.body());
        recordTransfer(earn);
        return member;
    }

    private String createHold(Instance instance, UUID member, long points) throws Exception {
        HttpResponse<String> hold = writeWithRetries(instance, "/v1/members/" + member + "/holds",
                UUID.randomUUID().toString(),
                "{\"points\":" + points + ",\"orderId\":\"cart-" + UUID.randomUUID() + "\",\"channel\":\"ONLINE\"}");
        assertEquals(201, hold.statusCode(), hold.body());
        recordTransfer(hold);
        return json(hold).get("holdId").asText();
    }

    private JsonNode balance(Instance instance, UUID member) throws Exception {
        HttpResponse<String> answer = send(instance, "/v1/members/" + member + "/balance", get(adminKey));
        assertEquals(200, answer.statusCode(), instance.name() + ": " + answer.body());
        return json(answer);
    }

    private static String earnBody(long points) {
        return "{\"orderId\":\"order-" + UUID.randomUUID() + "\",\"amount\":{\"value\":100,\"currency\":\"USD\"},"
                + "\"channel\":\"POS\",\"points\":" + points + "}";
    }

    private static String redeemBody(long points) {
        return "{\"points\":" + points + ",\"orderId\":\"order-" + points + "\",\"channel\":\"POS\"}";
    }

    /**
     * A write, sent again with the same key while the service answers 503 (a statement rolled
     * back under load, which the API asks to retry with the same key), a bounded number of times.
     */
    private HttpResponse<String> writeWithRetries(Instance instance, String path, String key, String body) throws Exception {
        HttpResponse<String> answer = null;
        for (int attempt = 0; attempt <= UNAVAILABLE_RETRIES_MAX; attempt++) {
            answer = send(instance, path, post(key, body));
            if (answer.statusCode() != 503) {
                return answer;
            }
            TimeUnit.MILLISECONDS.sleep(100L << attempt);
        }
        return answer;
    }

    private HttpRequest.Builder get(String key) {
        return HttpRequest.newBuilder().GET().header("Authorization", "Bearer " + key).timeout(REQUEST_TIMEOUT);
    }

    private HttpRequest.Builder post(String idempotencyKey, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder()
                .header("Authorization", "Bearer " + adminKey).timeout(REQUEST_TIMEOUT);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        if (body == null) {
            return request.POST(HttpRequest.BodyPublishers.noBody());
        }
        return request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    /** Sends {@code request}, which has everything but its address, to {@code path} on {@code instance}. */
    private HttpResponse<String> send(Instance instance, String path, HttpRequest.Builder request) throws Exception {
        return http.send(request.uri(instance.api().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static boolean replayed(HttpResponse<String> answer) {
        return answer.headers().firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false);
    }

    private static JsonNode json(HttpResponse<String> answer) throws IOException {
        return JSON.readTree(answer.body());
    }

    private void recordTransfer(HttpResponse<String> answer) throws IOException {
        JsonNode transactionId = json(answer).get("transactionId");
        assertNotNull(transactionId, answer.body());
        transferIdsSeen.add(UUID.fromString(transactionId.asText()));
    }

    /** Alternates: even calls go to the first instance, odd ones to the second. */
    private Instance instance(int index) {
        return instances.get(index % instances.size());
    }

    private void runAll(List<Callable<Void>> tasks) throws Exception {
        List<Future<Void>> futures = clients.invokeAll(tasks, 60, TimeUnit.SECONDS);
        for (Future<Void> future : futures) {
            assertFalse(future.isCancelled(), "a request did not finish within 60 s");
            future.get();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The servers and the two instances

    private Map<String, String> productionEnvironment(String redisHosts, String kafka) {
        Map<String, String> environment = new HashMap<>();
        environment.put("POINTS_LEDGER_DB", "127.0.0.1:" + DisposablePostgres.port() + "/" + EmbeddedDatabaseRoles.DATABASE);
        environment.put("POINTS_LEDGER_DB_USER", EmbeddedDatabaseRoles.RUNTIME);
        environment.put("POINTS_LEDGER_DB_PASSWORD", EmbeddedDatabaseRoles.RUNTIME_PASSWORD);
        environment.put("POINTS_LEDGER_DB_MIGRATION_USER", EmbeddedDatabaseRoles.OWNER);
        environment.put("POINTS_LEDGER_DB_MIGRATION_PASSWORD", EmbeddedDatabaseRoles.OWNER_PASSWORD);
        environment.put("POINTS_LEDGER_DB_SSL_MODE", "disable");
        environment.put("POINTS_LEDGER_REDIS", redisHosts);
        environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        environment.put("POINTS_LEDGER_ADMIN_KEY", adminKey);
        environment.put("POINTS_LEDGER_PII_ENCRYPTION_KEYS", "k1:" + Base64.getEncoder().encodeToString(randomBytes(32)));
        environment.put("POINTS_LEDGER_PII_ACTIVE_KEY_ID", "k1");
        environment.put("POINTS_LEDGER_PII_BLIND_INDEX_KEY", Base64.getEncoder().encodeToString(randomBytes(32)));
        return environment;
    }

    private Instance startInstance(String name, Map<String, String> settings) throws Exception {
        int httpPort = FreePort.next();
        int managementPort = FreePort.next();
        Path log = logDirectory.resolve("instance-" + name + ".log");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-jar", packagedJar().toString())
                .directory(logDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(variable -> variable.startsWith("POINTS_LEDGER_") || variable.startsWith("QUARKUS_")
                || variable.startsWith("KAFKA_"));
        environment.putAll(settings);
        Instance instance = new Instance(name, builder.start(), URI.create("http://127.0.0.1:" + httpPort),
                URI.create("http://127.0.0.1:" + managementPort), log);
        started.add(instance);
        awaitReady(instance);
        return instance;
    }

    private void awaitReady(Instance instance) throws Exception {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        HttpRequest ready = HttpRequest.newBuilder(instance.management().resolve("/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (Instant.now().isBefore(deadline)) {
            assertTrue(instance.process().isAlive(), "instance " + instance.name() + " exited during startup with status "
                    + exitValue(instance.process()) + "; see " + instance.log());
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new AssertionError("instance " + instance.name() + " was not ready within " + READY_TIMEOUT.toSeconds()
                + " s; see " + instance.log());
    }

    private static int exitValue(Process process) {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The jar `./mvnw package` built: failsafe runs after the package phase and names it. */
    private static Path packagedJar() {
        String configured = System.getProperty("points-ledger.packaged-jar", "target/quarkus-app/quarkus-run.jar");
        File jar = new File(configured).getAbsoluteFile();
        assertTrue(jar.isFile(), jar + " is missing: run ./mvnw verify, which packages the application first");
        return jar.toPath();
    }

    private static void printTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            System.err.println("===== last lines of " + log + " =====");
            lines.subList(Math.max(0, lines.size() - 150), lines.size()).forEach(System.err::println);
        } catch (IOException e) {
            System.err.println("Cannot read " + log + ": " + e);
        }
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + DisposablePostgres.port() + "/"
                + EmbeddedDatabaseRoles.DATABASE, "postgres", "");
    }

    private long transfersWithKey(String idempotencyKey) throws SQLException {
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM transfers WHERE idempotency_key = ?")) {
            query.setString(1, idempotencyKey);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private void sampleLeaseHolder() {
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement("SELECT holder FROM outbox_relay_lease");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                leaseHolders.add(rows.getString(1));
            }
        } catch (SQLException e) {
            System.err.println("Relay lease not sampled: " + e);
        }
    }

    private KafkaConsumer<String, String> consumer() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaProcess.bootstrapServers());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }

    /** Every partition of the topic, from its first record; no group, so no rebalance to wait for. */
    private static void assignFromBeginning(KafkaConsumer<String, String> consumer, Instant deadline) throws InterruptedException {
        assignFromBeginning(consumer, TOPIC, deadline);
    }

    private static void assignFromBeginning(KafkaConsumer<String, String> consumer, String topic, Instant deadline)
            throws InterruptedException {
        List<PartitionInfo> partitions = List.of();
        while (partitions.isEmpty() && Instant.now().isBefore(deadline)) {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (partitions.isEmpty()) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        assertFalse(partitions.isEmpty(), "topic " + topic + " never appeared");
        List<TopicPartition> assigned = partitions.stream()
                .map(partition -> new TopicPartition(partition.topic(), partition.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
