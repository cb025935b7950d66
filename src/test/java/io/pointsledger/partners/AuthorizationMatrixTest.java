package io.pointsledger.partners;

import static io.pointsledger.support.LedgerApi.as;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointsledger.audit.AuditResource;
import io.pointsledger.holds.HoldResource;
import io.pointsledger.holds.MemberHoldResource;
import io.pointsledger.ledger.AdjustmentResource;
import io.pointsledger.ledger.LedgerResource;
import io.pointsledger.ledger.TransactionResource;
import io.pointsledger.ledger.ReconciliationResource;
import io.pointsledger.members.MemberResource;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.recommendations.RecommendationResource;
import io.pointsledger.tiers.TierResource;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Partners.TestPartner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every endpoint x {no key, bad key, revoked key, wrong scope, right scope} -> the expected status. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {

    private static final List<Class<?>> RESOURCES = List.of(MemberResource.class, LedgerResource.class,
            ReconciliationResource.class, AuditResource.class, PartnerResource.class, MemberHoldResource.class,
            HoldResource.class, TransactionResource.class, AdjustmentResource.class, TierResource.class,
            RecommendationResource.class);

    /**
     * Scopes of the partner that holds each scope. Partners act only on their own holds and
     * transfers, so some carry the scopes they need to make the data they then act on.
     */
    private static final Map<Scope, List<String>> RIGHT_SCOPES = Map.of(
            Scope.EARN, List.of("earn"),
            Scope.EARN_MANUAL, List.of("earn", "earn:manual"),
            Scope.REDEEM, List.of("redeem"),
            Scope.HOLD, List.of("hold"),
            Scope.REVERSE, List.of("reverse", "earn", "earn:manual"),
            Scope.READ, List.of("read", "hold", "earn", "earn:manual"),
            Scope.PII, List.of("pii"),
            Scope.ADMIN, List.of("admin"));

    private final Map<Scope, TestPartner> partnerWithOnly = new EnumMap<>(Scope.class);
    private String revokedKey;
    private TestPartner redeemOnly;
    private String readersHoldId;
    private String readersTransactionId;
    private UUID memberId;
    private String targetPartnerId;
    private String targetKeyId;

    /** One protected operation: how to call it, the scope it needs and the status it answers when allowed. */
    record Endpoint(String name, Scope scope, int successStatus, Function<RequestSpecification, io.restassured.response.Response> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Runs inside the first test: the application is not yet serving during {@code @BeforeAll}. */
    private void createPartnersAndDataOnce() {
        if (revokedKey != null) {
            return;
        }
        for (Scope scope : Scope.values()) {
            partnerWithOnly.put(scope, Partners.create(10_000, RIGHT_SCOPES.get(scope).toArray(String[]::new)));
        }
        redeemOnly = Partners.create(10_000, "redeem");
        TestPartner revoked = Partners.create(10_000, "earn", "redeem", "hold", "reverse", "read", "admin");
        given().delete("/v1/admin/partners/{partnerId}/keys/{keyId}", revoked.partnerId(), revoked.keyId()).then().statusCode(204);
        revokedKey = revoked.apiKey();
        memberId = LedgerApi.enrollWithPoints(100_000);
        readersHoldId = holdAs(partnerWithOnly.get(Scope.READ));
        readersTransactionId = earnAs(partnerWithOnly.get(Scope.READ));
        TestPartner target = Partners.create(10, "read");
        targetPartnerId = target.partnerId();
        targetKeyId = target.keyId();
    }

    List<Endpoint> endpoints() {
        String json = "application/json";
        return List.of(
                new Endpoint("enroll", Scope.EARN, 201, request -> request.contentType(json)
                        .body(Map.of("name", "Matrix", "channel", "ONLINE")).post("/v1/members")),
                new Endpoint("look up by phone", Scope.PII, 200, request -> request.contentType(json)
                        .body(Map.of("phone", "+821000000001")).post("/v1/members/lookups")),
                new Endpoint("member", Scope.READ, 200, request -> request.get("/v1/members/{id}", memberId)),
                new Endpoint("erase", Scope.ADMIN, 204, request -> request.delete("/v1/members/{id}", LedgerApi.enroll())),
                new Endpoint("earn", Scope.EARN, 201, request -> request.contentType(json).header("Idempotency-Key", UUID.randomUUID().toString())
                        .body(Map.of("orderId", "m", "amount", Map.of("value", 500, "currency", "USD"), "channel", "PARTNER"))
                        .post("/v1/members/{id}/earn", memberId)),
                new Endpoint("redeem", Scope.REDEEM, 201, request -> request.contentType(json).header("Idempotency-Key", UUID.randomUUID().toString())
                        .body(Map.of("points", 1, "orderId", "m", "channel", "PARTNER"))
                        .post("/v1/members/{id}/redeem", memberId)),
                new Endpoint("balance", Scope.READ, 200, request -> request.get("/v1/members/{id}/balance", memberId)),
                new Endpoint("history", Scope.READ, 200, request -> request.get("/v1/members/{id}/transactions", memberId)),
                new Endpoint("hold", Scope.HOLD, 201, request -> request.contentType(json).header("Idempotency-Key", UUID.randomUUID().toString())
                        .body(Map.of("points", 1, "orderId", "m", "channel", "ONLINE")).post("/v1/members/{id}/holds", memberId)),
                new Endpoint("capture", Scope.HOLD, 200, request -> request.header("Idempotency-Key", UUID.randomUUID().toString())
                        .post("/v1/holds/{id}/capture", holdAs(partnerWithOnly.get(Scope.HOLD)))),
                new Endpoint("void", Scope.HOLD, 200, request -> request.header("Idempotency-Key", UUID.randomUUID().toString())
                        .post("/v1/holds/{id}/void", holdAs(partnerWithOnly.get(Scope.HOLD)))),
                new Endpoint("recommendations", Scope.READ, 200, request -> request.get("/v1/members/{id}/recommendations", memberId)),
                new Endpoint("tier", Scope.READ, 200, request -> request.get("/v1/members/{id}/tier", memberId)),
                new Endpoint("hold status", Scope.READ, 200, request -> request.get("/v1/holds/{id}", readersHoldId)),
                new Endpoint("transaction", Scope.READ, 200, request -> request.get("/v1/transactions/{id}", readersTransactionId)),
                new Endpoint("reverse", Scope.REVERSE, 201, request -> request.contentType(json)
                        .header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("reason", "returned"))
                        .post("/v1/transactions/{id}/reverse", earnAs(partnerWithOnly.get(Scope.REVERSE)))),
                new Endpoint("adjustment", Scope.ADMIN, 201, request -> request.contentType(json)
                        .header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("points", 1, "reason", "matrix"))
                        .post("/v1/admin/members/{id}/adjustments", memberId)),
                new Endpoint("reconciliation", Scope.ADMIN, 200, request -> request.get("/v1/admin/reconciliation")),
                new Endpoint("settlement", Scope.ADMIN, 200, request -> request
                        .queryParam("from", OffsetDateTime.now().minusDays(1).toString())
                        .queryParam("to", OffsetDateTime.now().plusDays(1).toString()).get("/v1/admin/settlement")),
                new Endpoint("audit", Scope.ADMIN, 200, request -> request.get("/v1/admin/audit")),
                new Endpoint("create partner", Scope.ADMIN, 201, request -> request.contentType(json)
                        .body(Map.of("name", "Matrix", "scopes", List.of("read"), "rateLimitPerSecond", 1)).post("/v1/admin/partners")),
                new Endpoint("partner", Scope.ADMIN, 200, request -> request.get("/v1/admin/partners/{id}", targetPartnerId)),
                new Endpoint("issue key", Scope.ADMIN, 201, request -> request.post("/v1/admin/partners/{id}/keys", targetPartnerId)),
                new Endpoint("revoke key", Scope.ADMIN, 204, request -> request.delete("/v1/admin/partners/{id}/keys/{keyId}",
                        targetPartnerId, targetKeyId)));
    }

    private String holdAs(TestPartner partner) {
        return as(partner.apiKey()).contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("points", 1, "orderId", "m", "channel", "ONLINE"))
                .post("/v1/members/{id}/holds", memberId).then().statusCode(201).extract().path("holdId");
    }

    private String earnAs(TestPartner partner) {
        return LedgerApi.earnPointsAs(partner.apiKey(), memberId, UUID.randomUUID().toString(), 5)
                .then().statusCode(201).extract().path("transactionId");
    }

    @Test
    void shouldCoverEveryEndpointOfEveryResource() {
        long endpoints = RESOURCES.stream().flatMap(resource -> Stream.of(resource.getDeclaredMethods()))
                .filter(method -> method.isAnnotationPresent(GET.class) || method.isAnnotationPresent(POST.class)
                        || method.isAnnotationPresent(DELETE.class))
                .count();
        assertEquals(endpoints, endpoints().size(), "an endpoint was added without a row in this matrix");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void shouldAllowOnlyAValidKeyWithTheRightScope(Endpoint endpoint) {
        createPartnersAndDataOnce();
        endpoint.call().apply(RestAssured.given()).then()
                .statusCode(401).contentType("application/problem+json").body("code", equalTo("UNAUTHENTICATED"))
                .header("WWW-Authenticate", "Bearer");
        endpoint.call().apply(as("plk_not-a-key-" + UUID.randomUUID())).then()
                .statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        endpoint.call().apply(as(revokedKey)).then()
                .statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        TestPartner wrongScope = endpoint.scope() == Scope.REDEEM ? partnerWithOnly.get(Scope.READ) : redeemOnly;
        endpoint.call().apply(as(wrongScope.apiKey())).then()
                .statusCode(403).contentType("application/problem+json").body("code", equalTo("FORBIDDEN_SCOPE"));
        endpoint.call().apply(as(partnerWithOnly.get(endpoint.scope()).apiKey())).then()
                .statusCode(endpoint.successStatus());
    }

    /** Explicit points bypass the earn rule: earn alone is not enough, and a refused earn changes nothing. */
    @Test
    void shouldRequireEarnManualToEarnExplicitPoints() {
        createPartnersAndDataOnce();
        long postedBefore = given().get("/v1/members/{id}/balance", memberId).then().extract().<Number>path("posted").longValue();
        LedgerApi.earnPointsAs(partnerWithOnly.get(Scope.EARN).apiKey(), memberId, UUID.randomUUID().toString(), 5).then()
                .statusCode(403).contentType("application/problem+json").body("code", equalTo("FORBIDDEN_SCOPE"));
        given().get("/v1/members/{id}/balance", memberId).then().body("posted", equalTo((int) postedBefore));

        LedgerApi.earnPointsAs(partnerWithOnly.get(Scope.EARN_MANUAL).apiKey(), memberId, UUID.randomUUID().toString(), 5)
                .then().statusCode(201);
        LedgerApi.earnPointsAs(partnerWithOnly.get(Scope.ADMIN).apiKey(), memberId, UUID.randomUUID().toString(), 5)
                .then().statusCode(201);
    }

    @Test
    void shouldLetTheAdminScopeDoEverything() {
        createPartnersAndDataOnce();
        List<Integer> statuses = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            if (List.of("revoke key", "issue key", "capture", "void", "reverse").contains(endpoint.name())) {
                continue;
            }
            statuses.add(endpoint.call().apply(as(partnerWithOnly.get(Scope.ADMIN).apiKey())).statusCode());
        }
        statuses.forEach(status -> org.junit.jupiter.api.Assertions.assertTrue(status < 300, "status " + status));
    }
}
