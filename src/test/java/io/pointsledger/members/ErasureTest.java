package io.pointsledger.members;

import static io.pointsledger.support.LedgerApi.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.pointsledger.recommendations.RecommendationService;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.OwnerDatabase;
import io.quarkus.redis.datasource.RedisDataSource;
import io.pointsledger.ledger.PurchasedItems;
import io.pointsledger.partners.Caller;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Erasure leaves nothing of who the member was: not in any column of any table (the outbox and
 * the audit log included), not in Redis. The search reads the schema rather than a list of tables,
 * so a table added later is searched too.
 */
@QuarkusTest
class ErasureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    /** Sees every table, including those the service's runtime role may not read. */
    @Inject
    OwnerDatabase owner;

    @Inject
    RedisDataSource redis;

    @Inject
    RecommendationService recommendations;

    /** A member whose every value is unique to this run, so that a hit can only be theirs. */
    private record Person(String externalId, String name, String email, String phone, String birthDate) {

        static Person unique() {
            String tag = UUID.randomUUID().toString().substring(0, 8);
            int day = 1 + ThreadLocalRandom.current().nextInt(28);
            return new Person("till-" + tag, "Erasable " + tag, "erasable." + tag + "@example.com",
                    "+8210" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999)),
                    "1953-02-%02d".formatted(day));
        }

        Map<String, Object> enrollment() {
            return Map.of("externalId", externalId, "name", name, "email", email, "phone", phone, "birthDate", birthDate,
                    "channel", "OFFLINE");
        }

        /** Every form a trace could take: the values, the phone without its +, the date without dashes. */
        List<String> traces() {
            return List.of(externalId, name, email, phone, phone.substring(1), birthDate, birthDate.replace("-", ""));
        }
    }

    @Test
    void shouldLeaveNoTraceOfAnErasedMemberInAnyTableOrInRedis() {
        Person person = Person.unique();
        UUID memberId = enroll(person);
        String sku = "erasure-" + memberId;
        buy(memberId, sku);
        LedgerApi.redeem(memberId, "erasure-redeem-" + memberId, 1).then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("phone", person.phone())).post("/v1/members/lookups")
                .then().statusCode(200).body("items", hasSize(1));
        given().get("/v1/members/{memberId}", memberId).then().statusCode(200);
        // The purchase reaches recommendations through its event: wait until it is there to be erased.
        await().atMost(Duration.ofSeconds(20)).until(() -> memberItems(memberId) > 0);

        given().delete("/v1/members/{memberId}", memberId).then().statusCode(204);

        assertEquals(List.of(), tablesHolding(person.traces()), "columns still holding the erased member's data");
        assertEquals(List.of(), redisKeysHolding(person.traces()), "Redis keys still holding the erased member's data");
        assertEquals(0, memberItems(memberId), "what the member bought is forgotten");
        given().get("/v1/members/{memberId}", memberId).then().statusCode(200).body("available", equalTo(9));
        LedgerApi.assertReconciles();
    }

    /** Delivery is at least once and may lag: an event from before the erasure must not bring the history back. */
    @Test
    void shouldNotLetALatePurchaseEventWriteTheHistoryBack() {
        UUID memberId = enroll(Person.unique());
        given().delete("/v1/members/{memberId}", memberId).then().statusCode(204);

        recommendations.countRecorded(purchase(memberId, OffsetDateTime.now().minusMinutes(1))).await().atMost(TIMEOUT);
        assertEquals(0, memberItems(memberId), "a purchase from before the erasure is not the member's again");

        recommendations.countRecorded(purchase(memberId, OffsetDateTime.now().plusMinutes(1))).await().atMost(TIMEOUT);
        assertEquals(1, memberItems(memberId), "a purchase after the erasure is recorded as any other");
    }

    @Test
    void shouldFreeTheExternalIdForANewEnrollment() {
        Person person = Person.unique();
        UUID erased = enroll(person);
        given().contentType(ContentType.JSON).body(person.enrollment()).post("/v1/members").then().statusCode(409);

        given().delete("/v1/members/{memberId}", erased).then().statusCode(204);

        UUID enrolledAgain = enroll(person);
        assertNotEquals(erased, enrolledAgain, "a new member, not the erased one brought back");
        given().get("/v1/members/{memberId}", enrolledAgain).then().statusCode(200)
                .body("externalId", equalTo(person.externalId()));
        given().get("/v1/members/{memberId}", erased).then().statusCode(200)
                .body("externalId", nullValue()).body("erasedAt", notNullValue());
    }

    private static UUID enroll(Person person) {
        return UUID.fromString(given().contentType(ContentType.JSON).body(person.enrollment()).post("/v1/members")
                .then().statusCode(201).extract().path("memberId"));
    }

    /** A purchase as the ledger would answer it, delivered late or not: recommendations' own rule is what is tested. */
    private static PurchasedItems purchase(UUID memberId, OffsetDateTime occurredAt) {
        return new PurchasedItems(UUID.randomUUID(), memberId, Caller.OPERATOR_ID, occurredAt, List.of("late-" + memberId));
    }

    private static void buy(UUID memberId, String sku) {
        LedgerApi.earn(memberId, UUID.randomUUID().toString(), Map.of("orderId", "erasure",
                "amount", Map.of("value", 1_000, "currency", "USD"), "channel", "POS",
                "items", List.of(Map.of("sku", sku, "quantity", 1, "unitPrice", 1_000))))
                .then().statusCode(201);
    }

    private long memberItems(UUID memberId) {
        return Database.single(pool, "SELECT count(*) FROM member_items WHERE member_id = $1", memberId).getLong(0);
    }

    /** "table.column" of every column in the public schema whose text holds one of {@code traces}. */
    private List<String> tablesHolding(List<String> traces) {
        String[] patterns = traces.stream().map(trace -> "%" + trace + "%").toArray(String[]::new);
        List<String> found = new ArrayList<>();
        Pool everything = owner.pool();
        for (Row column : everything.query("""
                SELECT table_name, column_name FROM information_schema.columns
                 WHERE table_schema = 'public' ORDER BY table_name, ordinal_position""").execute().await().atMost(TIMEOUT)) {
            String table = column.getString("table_name");
            String name = column.getString("column_name");
            String search = "SELECT count(*) FROM public.\"%s\" WHERE \"%s\"::text ILIKE ANY ($1)".formatted(table, name);
            long hits = everything.preparedQuery(search).execute(Tuple.tuple().addArrayOfString(patterns)).await().atMost(TIMEOUT)
                    .iterator().next().getLong(0);
            if (hits > 0) {
                found.add(table + "." + name);
            }
        }
        return found;
    }

    /** Every key of the embedded Redis whose name or value holds one of {@code traces}. */
    private List<String> redisKeysHolding(List<String> traces) {
        List<String> found = new ArrayList<>();
        for (String key : redis.key().keys("*")) {
            String text = (key + " " + valueOf(key)).toLowerCase(Locale.ROOT);
            if (traces.stream().anyMatch(trace -> text.contains(trace.toLowerCase(Locale.ROOT)))) {
                found.add(key);
            }
        }
        return found;
    }

    private String valueOf(String key) {
        return switch (redis.key().type(key)) {
            case STRING -> String.valueOf(redis.value(String.class).get(key));
            case HASH -> String.valueOf(redis.hash(String.class).hgetall(key));
            case LIST -> String.valueOf(redis.list(String.class).lrange(key, 0, -1));
            case SET -> String.valueOf(redis.set(String.class).smembers(key));
            case ZSET -> String.valueOf(redis.sortedSet(String.class).zrange(key, 0, -1));
            // No capability keeps streams; one appearing would need reading here.
            case STREAM -> throw new AssertionError("Redis stream " + key + " is not searched: add it here");
            case NONE -> "";
        };
    }
}
