package io.pointsledger.partners;

import static io.pointsledger.support.LedgerApi.as;
import static io.pointsledger.support.LedgerApi.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Partners.TestPartner;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A key revoked on one instance stops working on every other at once, not after the 30 s its
 * cached look-up lives. Two instances in one JVM are out of reach, so each half is proven on its
 * own: a revocation published on the channel by another Redis client (as another instance would)
 * evicts this instance's cached key, and revoking here publishes on the channel.
 */
@QuarkusTest
class KeyRevocationBroadcastTest {

    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);
    /** Far below the cache's 30 s lifetime: an eviction this fast can only come from the broadcast. */
    private static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(5);

    @Inject
    Pool pool;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    Vertx vertx;

    @Test
    void shouldRefuseACachedKeyAtOnceWhenAnotherInstanceBroadcastsItsRevocation() throws InterruptedException {
        TestPartner partner = Partners.create(100, "read");
        UUID memberId = LedgerApi.enroll();
        as(partner.apiKey()).get("/v1/members/{id}/balance", memberId).then().statusCode(200);

        // Another instance revokes: PostgreSQL knows, this instance's cache does not.
        Database.execute(pool, "UPDATE partner_keys SET revoked_at = now() WHERE key_id = $1", UUID.fromString(partner.keyId()));
        as(partner.apiKey()).get("/v1/members/{id}/balance", memberId).then().statusCode(200);

        Redis otherInstance = Redis.createClient(vertx, ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class));
        try {
            long deadline = System.nanoTime() + DELIVERY_DEADLINE.toNanos();
            int status;
            do {
                // Published again on each try: the service may still be subscribing when the test starts.
                otherInstance.send(Request.cmd(Command.PUBLISH).arg(KeyRevocationBroadcast.CHANNEL).arg(cacheKey(partner.apiKey())))
                        .await().atMost(REDIS_TIMEOUT);
                Thread.sleep(20);
                status = as(partner.apiKey()).get("/v1/members/{id}/balance", memberId).statusCode();
            } while (status == 200 && System.nanoTime() < deadline);
            assertEquals(401, status, "the broadcast revocation evicts the cached key");
        } finally {
            otherInstance.close();
        }
    }

    @Test
    void shouldBroadcastARevocation() throws InterruptedException {
        TestPartner partner = Partners.create(100, "read");
        List<String> messages = new CopyOnWriteArrayList<>();
        ReactiveRedisSubscriber otherInstance = redis.pubsub(String.class)
                .subscribe(KeyRevocationBroadcast.CHANNEL, messages::add).await().atMost(REDIS_TIMEOUT);
        try {
            given().delete("/v1/admin/partners/{partnerId}/keys/{keyId}", partner.partnerId(), partner.keyId()).then().statusCode(204);

            long deadline = System.nanoTime() + DELIVERY_DEADLINE.toNanos();
            while (!messages.contains(cacheKey(partner.apiKey())) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(messages.contains(cacheKey(partner.apiKey())), "revoking publishes the key's hash, got " + messages);
            assertTrue(messages.stream().noneMatch(message -> message.contains(partner.apiKey().substring(4))),
                    "the key itself never travels");
        } finally {
            otherInstance.unsubscribe().await().atMost(REDIS_TIMEOUT);
        }
    }

    private static String cacheKey(String apiKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
