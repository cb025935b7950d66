package io.pointsledger.partners;

import static io.pointsledger.support.LedgerApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Partners.TestPartner;
import io.quarkus.cache.CacheManager;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A request with a made-up key must cost neither a database query (unless it is shaped like an
 * issued key) nor a place in the key cache, where it would evict the keys of real partners.
 */
@QuarkusTest
class AnonymousRequestTest {

    private static final String LOOKUPS = "ledger.api.key.lookups";

    @Inject
    MeterRegistry registry;

    @Inject
    CacheManager caches;

    @Test
    void shouldRefuseAValueNotShapedLikeAKeyWithoutLookingItUp() {
        UUID memberId = LedgerApi.enroll();
        String wellShaped = unknownWellShapedKey();
        List<String> malformed = List.of("garbage", "plk_", "plk_short", "plk_not-a-key-" + UUID.randomUUID(),
                "PLK_" + wellShaped.substring(4), wellShaped.substring(0, 46) + "+", wellShaped + "A",
                "x".repeat(4000));
        double lookupsBefore = lookups();

        for (String key : malformed) {
            as(key).get("/v1/members/{memberId}/balance", memberId).then()
                    .statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        }
        assertEquals(lookupsBefore, lookups(), "no malformed value reached the database");

        as(wellShaped).get("/v1/members/{memberId}/balance", memberId).then()
                .statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        assertEquals(lookupsBefore + 1, lookups(), "a well-shaped unknown key is looked up");
    }

    @Test
    void shouldNotCacheAnUnknownKey() {
        UUID memberId = LedgerApi.enroll();
        String unknown = unknownWellShapedKey();
        double lookupsBefore = lookups();

        as(unknown).get("/v1/members/{memberId}/balance", memberId).then().statusCode(401);
        as(unknown).get("/v1/members/{memberId}/balance", memberId).then().statusCode(401);

        assertEquals(lookupsBefore + 2, lookups(), "each attempt is looked up again: the miss was not remembered");
        assertFalse(keyCache().keySet().contains(hashHex(unknown)), "the miss holds no cache entry");
    }

    @Test
    void shouldCacheAValidKeyAndStillAcceptTheAdminKey() {
        TestPartner partner = Partners.create(100, "read");
        UUID memberId = LedgerApi.enroll();
        double lookupsBefore = lookups();

        as(partner.apiKey()).get("/v1/members/{memberId}/balance", memberId).then().statusCode(200);
        as(partner.apiKey()).get("/v1/members/{memberId}/balance", memberId).then().statusCode(200);
        LedgerApi.given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200);

        assertEquals(lookupsBefore + 1, lookups(), "the second use is answered from the cache, the admin key by neither");
        assertTrue(keyCache().keySet().contains(hashHex(partner.apiKey())));
    }

    private double lookups() {
        return registry.counter(LOOKUPS).count();
    }

    private CaffeineCache keyCache() {
        return caches.getCache(PartnerService.KEY_CACHE).orElseThrow().as(CaffeineCache.class);
    }

    /** Shaped like an issued key, and unknown: 256 fresh random bits are never a key issued before. */
    private static String unknownWellShapedKey() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return "plk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static String hashHex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
