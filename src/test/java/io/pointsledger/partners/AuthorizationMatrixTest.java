package io.pointsledger.partners;

import static io.pointsledger.support.LedgerApi.as;
import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pointsledger.audit.AuditResource;
import io.pointsledger.campaigns.CampaignResource;
import io.pointsledger.communication.AnnouncementResource;
import io.pointsledger.communication.MemberMessageResource;
import io.pointsledger.campaigns.ExperimentResource;
import io.pointsledger.coupons.CouponBatchResource;
import io.pointsledger.coupons.CouponDefinitionResource;
import io.pointsledger.coupons.CouponResource;
import io.pointsledger.coupons.MemberCouponResource;
import io.pointsledger.donations.CauseDirectoryResource;
import io.pointsledger.donations.CauseResource;
import io.pointsledger.donations.MemberDonationResource;
import io.pointsledger.offers.MemberOfferResource;
import io.pointsledger.offers.OfferResource;
import io.pointsledger.rewards.MemberRewardClaimResource;
import io.pointsledger.rewards.MemberRewardResource;
import io.pointsledger.rewards.RewardClaimResource;
import io.pointsledger.rewards.RewardResource;
import io.pointsledger.holds.HoldResource;
import io.pointsledger.holds.MemberHoldResource;
import io.pointsledger.ledger.AdjustmentResource;
import io.pointsledger.ledger.LedgerResource;
import io.pointsledger.ledger.ReconciliationResource;
import io.pointsledger.ledger.TransactionResource;
import io.pointsledger.communication.ContactPreferencesResource;
import io.pointsledger.communication.UnsubscribeResource;
import io.pointsledger.imports.ImportResource;
import io.pointsledger.webhooks.WebhookResource;
import io.pointsledger.members.MemberResource;
import io.pointsledger.recommendations.RecommendationResource;
import io.pointsledger.churn.ChurnModelResource;
import io.pointsledger.churn.MemberChurnResource;
import io.pointsledger.feedback.MemberSurveyResponseResource;
import io.pointsledger.feedback.SurveyResource;
import io.pointsledger.reservations.AvailabilityResource;
import io.pointsledger.reservations.BookableResource;
import io.pointsledger.reservations.MemberReservationResource;
import io.pointsledger.reservations.ReservationAttendanceResource;
import io.pointsledger.segments.AttributeRunResource;
import io.pointsledger.segments.MemberSegmentAttributesResource;
import io.pointsledger.segments.SegmentResource;
import io.pointsledger.support.ChurnHistories;
import io.pointsledger.support.Reservations;
import io.pointsledger.support.Segments;
import io.pointsledger.support.Surveys;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Partners.TestPartner;
import io.pointsledger.tiers.TierResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint x {no key, bad key, revoked key, wrong scope, right scope} -> the expected status.
 * The endpoints are found by scanning the compiled classes for {@code @Path} resources, and each
 * one's scope is read from its {@link RequiresScope}: an endpoint added without a scope, or
 * without a way to call it here, fails this test by name.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {

    private static final String ROOT = "io.pointsledger";

    /** Every resource method of the application, found by scanning, in a stable order. */
    private static final List<Method> RESOURCE_METHODS = scanResourceMethods();

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
            Scope.REPORTS, List.of("reports"),
            Scope.ADMIN, List.of("admin"));

    private final Map<Scope, TestPartner> partnerWithOnly = new EnumMap<>(Scope.class);
    /** Takes every webhook delivery at once, so that none is retried for the rest of the run. */
    private final io.pointsledger.support.WebhookReceiver receiver = io.pointsledger.support.WebhookReceiver.start();

    @jakarta.inject.Inject
    io.pointsledger.webhooks.WebhookSubscriptions webhookConsumer;

    @org.junit.jupiter.api.AfterAll
    void stopReceiver() {
        receiver.close();
    }
    private String revokedKey;
    private TestPartner redeemOnly;
    private String readersHoldId;
    private String readersTransactionId;
    private UUID memberId;
    private String targetPartnerId;
    private String targetKeyId;

    /** How to call one operation and the status it answers when allowed. */
    record Call(String name, int successStatus, Function<RequestSpecification, Response> request) {
    }

    /** One protected operation: how to call it, the scope its method declares and the status it answers when allowed. */
    record Endpoint(String name, Scope scope, int successStatus, Function<RequestSpecification, Response> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static List<Method> scanResourceMethods() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT)
                .stream()
                .filter(javaClass -> javaClass.isAnnotatedWith(Path.class))
                .map(JavaClass::reflect)
                .flatMap(resource -> Stream.of(resource.getDeclaredMethods()))
                .filter(AuthorizationMatrixTest::isResourceMethod)
                .sorted(Comparator.comparing(AuthorizationMatrixTest::methodKey))
                .toList();
    }

    /** A method with {@code @GET}, {@code @POST} or any other annotation that names an HTTP method. */
    private static boolean isResourceMethod(Method method) {
        return Stream.of(method.getAnnotations())
                .anyMatch(annotation -> annotation.annotationType().isAnnotationPresent(HttpMethod.class));
    }

    private static String methodKey(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }

    private static String key(Class<?> resource, String methodName) {
        return resource.getSimpleName() + "." + methodName;
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

    /** How to call each resource method, by {@code Class.method}; the scope comes from the method itself. */
    Map<String, Call> calls() {
        String json = "application/json";
        Map<String, Call> calls = new HashMap<>();
        calls.put(key(MemberResource.class, "enroll"), new Call("enroll", 201, request -> request.contentType(json)
                .body(Map.of("name", "Matrix", "channel", "ONLINE")).post("/v1/members")));
        calls.put(key(MemberResource.class, "lookUp"), new Call("look up by phone", 200, request -> request.contentType(json)
                .body(Map.of("phone", "+821000000001")).post("/v1/members/lookups")));
        calls.put(key(MemberResource.class, "find"), new Call("member", 200, request -> request.get("/v1/members/{id}", memberId)));
        calls.put(key(MemberResource.class, "changeProfile"), new Call("change profile", 200, request -> request
                .contentType("application/merge-patch+json").header("If-Match", "*").body(Map.of("region", "Seoul"))
                .patch("/v1/members/{id}", LedgerApi.enroll())));
        calls.put(key(ContactPreferencesResource.class, "find"), new Call("contact preferences", 200,
                request -> request.get("/v1/members/{id}/contact-preferences", memberId)));
        calls.put(key(ContactPreferencesResource.class, "change"), new Call("state contact preferences", 200,
                request -> request.contentType(json).header("If-Match", "*").body(Map.of("consents", Map.of("email", true, "sms", false, "push", false),
                        "source", "MEMBER_APP")).put("/v1/members/{id}/contact-preferences", memberId)));
        calls.put(key(UnsubscribeResource.class, "page"), new Call("unsubscribe page", 400,
                request -> request.get("/v1/unsubscribe/{token}", "not-a-token")));
        calls.put(key(UnsubscribeResource.class, "unsubscribe"), new Call("unsubscribe", 400,
                request -> request.post("/v1/unsubscribe/{token}", "not-a-token")));
        calls.put(key(ImportResource.class, "start"), new Call("start import", 202, request -> request.contentType(json)
                .body(Map.of("kind", "MEMBERS", "file", importFile())).post("/v1/admin/imports")));
        calls.put(key(ImportResource.class, "list"), new Call("imports", 200, request -> request.get("/v1/admin/imports")));
        calls.put(key(ImportResource.class, "find"), new Call("import", 200, request -> request.get("/v1/admin/imports/{id}", importJob())));
        calls.put(key(ImportResource.class, "errors"), new Call("import errors", 200,
                request -> request.get("/v1/admin/imports/{id}/errors", importJob())));
        calls.put(key(ImportResource.class, "errorReport"), new Call("import error report", 200,
                request -> request.accept("text/csv").get("/v1/admin/imports/{id}/error-report", importJob())));
        calls.put(key(MemberResource.class, "erase"), new Call("erase", 204, request -> request.delete("/v1/members/{id}", LedgerApi.enroll())));
        calls.put(key(LedgerResource.class, "earn"), new Call("earn", 201, request -> request.contentType(json).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("orderId", "m", "amount", Map.of("value", 500, "currency", "USD"), "channel", "PARTNER"))
                .post("/v1/members/{id}/earn", memberId)));
        calls.put(key(LedgerResource.class, "redeem"), new Call("redeem", 201, request -> request.contentType(json).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("points", 1, "orderId", "m", "channel", "PARTNER"))
                .post("/v1/members/{id}/redeem", memberId)));
        calls.put(key(LedgerResource.class, "balance"), new Call("balance", 200, request -> request.get("/v1/members/{id}/balance", memberId)));
        calls.put(key(LedgerResource.class, "transactions"), new Call("history", 200, request -> request.get("/v1/members/{id}/transactions", memberId)));
        calls.put(key(MemberHoldResource.class, "hold"), new Call("hold", 201, request -> request.contentType(json).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("points", 1, "orderId", "m", "channel", "ONLINE")).post("/v1/members/{id}/holds", memberId)));
        calls.put(key(HoldResource.class, "capture"), new Call("capture", 200, request -> request.header("Idempotency-Key", UUID.randomUUID().toString())
                .post("/v1/holds/{id}/capture", holdAs(partnerWithOnly.get(Scope.HOLD)))));
        calls.put(key(HoldResource.class, "voidHold"), new Call("void", 200, request -> request.header("Idempotency-Key", UUID.randomUUID().toString())
                .post("/v1/holds/{id}/void", holdAs(partnerWithOnly.get(Scope.HOLD)))));
        calls.put(key(RecommendationResource.class, "forMember"), new Call("recommendations", 200, request -> request.get("/v1/members/{id}/recommendations", memberId)));
        calls.put(key(TierResource.class, "standing"), new Call("tier", 200, request -> request.get("/v1/members/{id}/tier", memberId)));
        calls.put(key(HoldResource.class, "find"), new Call("hold status", 200, request -> request.get("/v1/holds/{id}", readersHoldId)));
        calls.put(key(TransactionResource.class, "find"), new Call("transaction", 200, request -> request.get("/v1/transactions/{id}", readersTransactionId)));
        calls.put(key(TransactionResource.class, "reverse"), new Call("reverse", 201, request -> request.contentType(json)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("reason", "returned"))
                .post("/v1/transactions/{id}/reverse", earnAs(partnerWithOnly.get(Scope.REVERSE)))));
        calls.put(key(AdjustmentResource.class, "adjust"), new Call("adjustment", 201, request -> request.contentType(json)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("points", 1, "reason", "matrix"))
                .post("/v1/admin/members/{id}/adjustments", memberId)));
        calls.put(key(ReconciliationResource.class, "reconcile"), new Call("reconciliation", 200, request -> request.get("/v1/admin/reconciliation")));
        calls.put(key(ReconciliationResource.class, "settlement"), new Call("settlement", 200, request -> request
                .queryParam("from", OffsetDateTime.now().minusDays(1).toString())
                .queryParam("to", OffsetDateTime.now().plusDays(1).toString()).get("/v1/admin/settlement")));
        calls.put(key(AuditResource.class, "page"), new Call("audit", 200, request -> request.get("/v1/admin/audit")));
        addWebhookCalls(calls, json);
        addAnnouncementCalls(calls, json);
        calls.put(key(PartnerResource.class, "create"), new Call("create partner", 201, request -> request.contentType(json)
                .body(Map.of("name", "Matrix", "scopes", List.of("read"), "rateLimitPerSecond", 1)).post("/v1/admin/partners")));
        calls.put(key(PartnerResource.class, "find"), new Call("partner", 200, request -> request.get("/v1/admin/partners/{id}", targetPartnerId)));
        calls.put(key(PartnerResource.class, "issueKey"), new Call("issue key", 201, request -> request.post("/v1/admin/partners/{id}/keys", targetPartnerId)));
        calls.put(key(PartnerResource.class, "revokeKey"), new Call("revoke key", 204, request -> request.delete("/v1/admin/partners/{id}/keys/{keyId}",
                        targetPartnerId, targetKeyId)));
        Map<String, Object> campaign = Map.of("name", "Matrix", "trigger", "PURCHASE", "priority", 1,
                "conditions", Map.of("skus", List.of("SKU-MATRIX")), "effect", Map.of("bonusPoints", 1));
        calls.put(key(CampaignResource.class, "create"), new Call("create campaign", 201, request -> request.contentType(json)
                .body(campaign).post("/v1/admin/campaigns")));
        calls.put(key(CampaignResource.class, "page"), new Call("campaigns", 200, request -> request.get("/v1/admin/campaigns")));
        calls.put(key(CampaignResource.class, "active"), new Call("active campaigns", 200,
                request -> request.get("/v1/admin/campaigns/active")));
        calls.put(key(CampaignResource.class, "find"), new Call("campaign", 200,
                request -> request.get("/v1/admin/campaigns/{id}", draftCampaign(campaign))));
        calls.put(key(CampaignResource.class, "versions"), new Call("campaign versions", 200,
                request -> request.get("/v1/admin/campaigns/{id}/versions", draftCampaign(campaign))));
        calls.put(key(CampaignResource.class, "update"), new Call("update campaign", 200, request -> request.contentType(json)
                .header("If-Match", "\"1\"").body(campaign).put("/v1/admin/campaigns/{id}", draftCampaign(campaign))));
        calls.put(key(CampaignResource.class, "activate"), new Call("activate campaign", 200, request -> endedAfter(
                draftCampaign(campaign), campaignId -> request.post("/v1/admin/campaigns/{id}/activate", campaignId))));
        calls.put(key(CampaignResource.class, "pause"), new Call("pause campaign", 200, request -> endedAfter(
                draftCampaign(campaign), campaignId -> {
                    given().post("/v1/admin/campaigns/{id}/activate", campaignId).then().statusCode(200);
                    return request.post("/v1/admin/campaigns/{id}/pause", campaignId);
                })));
        calls.put(key(CampaignResource.class, "end"), new Call("end campaign", 200,
                request -> request.post("/v1/admin/campaigns/{id}/end", draftCampaign(campaign))));
        addCouponCalls(calls, json);
        addOfferCalls(calls, json);
        addRewardCalls(calls, json);
        addCauseCalls(calls, json);
        addChurnCalls(calls, json);
        addSegmentCalls(calls, json);
        addReservationCalls(calls, json);
        addSurveyCalls(calls, json);
        addReportCalls(calls);
        Map<String, Object> experiment = Map.of("name", "Matrix test", "trigger", "PURCHASE", "priority", 1,
                "conditions", Map.of("skus", List.of("SKU-MATRIX")), "variants", List.of(
                        Map.of("name", "control", "shareBasisPoints", 5_000, "control", true),
                        Map.of("name", "bonus", "shareBasisPoints", 5_000, "effect", Map.of("bonusPoints", 1))));
        calls.put(key(ExperimentResource.class, "report"), new Call("experiment report", 200,
                request -> request.get("/v1/admin/experiments/{id}/report", draftCampaign(experiment))));
        return calls;
    }

    private void addOfferCalls(Map<String, Call> calls, String json) {
        Map<String, Object> offer = Map.of("name", "Matrix", "kind", "SERVICE");
        calls.put(key(OfferResource.class, "create"), new Call("create offer", 201, request -> endedOfferAfter(
                request.contentType(json).body(offer).post("/v1/admin/offers"))));
        calls.put(key(OfferResource.class, "page"), new Call("offers", 200, request -> request.get("/v1/admin/offers")));
        calls.put(key(OfferResource.class, "find"), new Call("offer", 200,
                request -> request.get("/v1/admin/offers/{id}", endedOffer(offer))));
        calls.put(key(OfferResource.class, "end"), new Call("end offer", 200,
                request -> request.post("/v1/admin/offers/{id}/end", endedOffer(offer))));
        calls.put(key(MemberOfferResource.class, "offers"), new Call("member offers", 200,
                request -> request.get("/v1/members/{id}/offers", memberId)));
    }

    private void addRewardCalls(Map<String, Call> calls, String json) {
        Map<String, Object> reward = Map.of("kind", "PRODUCT", "name", "Matrix", "points", 1);
        calls.put(key(RewardResource.class, "create"), new Call("create reward", 201,
                request -> request.contentType(json).body(reward).post("/v1/admin/rewards")));
        calls.put(key(RewardResource.class, "page"), new Call("rewards", 200, request -> request.get("/v1/admin/rewards")));
        calls.put(key(RewardResource.class, "find"), new Call("reward", 200,
                request -> request.get("/v1/admin/rewards/{id}", reward(null))));
        calls.put(key(RewardResource.class, "changeStock"), new Call("change reward stock", 200, request -> request
                .contentType(json).header("If-Match", "*").body(Map.of("change", 5))
                .post("/v1/admin/rewards/{id}/stock", reward(null, 1))));
        calls.put(key(RewardResource.class, "retire"), new Call("retire reward", 200,
                request -> request.post("/v1/admin/rewards/{id}/retire", reward(null))));
        calls.put(key(RewardResource.class, "claims"), new Call("reward claims", 200,
                request -> request.get("/v1/admin/rewards/{id}/claims", reward(null))));
        calls.put(key(MemberRewardResource.class, "catalogue"), new Call("member rewards", 200,
                request -> request.get("/v1/members/{id}/rewards", memberId)));
        calls.put(key(MemberRewardResource.class, "claim"), new Call("claim reward", 201, request -> claim(request, reward(null))));
        calls.put(key(MemberRewardClaimResource.class, "claims"), new Call("member reward claims", 200,
                request -> request.get("/v1/members/{id}/reward-claims", memberId)));
        // A partner finds a claim it made or one of a reward it hands over.
        calls.put(key(MemberRewardClaimResource.class, "claim"), new Call("member reward claim", 200,
                request -> request.get("/v1/members/{id}/reward-claims/{claimId}", memberId,
                        claimId(given(), reward(partnerWithOnly.get(Scope.READ).partnerId())))));
        calls.put(key(MemberRewardClaimResource.class, "cancel"), new Call("cancel reward claim", 200, request -> request
                .contentType(json).header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of())
                .post("/v1/members/{id}/reward-claims/{claimId}/cancellation", memberId,
                        claimId(as(partnerWithOnly.get(Scope.REDEEM).apiKey()), reward(null)))));
        calls.put(key(RewardClaimResource.class, "claims"), new Call("claims to hand over", 200,
                request -> request.get("/v1/reward-claims")));
        calls.put(key(RewardClaimResource.class, "fulfil"), new Call("fulfil reward claim", 200, request -> request
                .contentType(json).body(Map.of("reference", "matrix")).post("/v1/reward-claims/{claimId}/fulfilment",
                        claimId(given(), reward(partnerWithOnly.get(Scope.REDEEM).partnerId())))));
    }

    /** A reward of one point with no stock limit, handed over by {@code fulfilmentPartnerId} (null: the operator). */
    private static String reward(String fulfilmentPartnerId) {
        return reward(fulfilmentPartnerId, null);
    }

    private static String reward(String fulfilmentPartnerId, Integer stock) {
        Map<String, Object> body = new HashMap<>(Map.of("kind", "PRODUCT", "name", "Matrix", "points", 1));
        body.put("fulfilmentPartnerId", fulfilmentPartnerId);
        body.put("stock", stock);
        return given().contentType("application/json").body(body).post("/v1/admin/rewards")
                .then().statusCode(201).extract().path("rewardId");
    }

    private Response claim(RequestSpecification request, String rewardId) {
        return request.contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("channel", "ONLINE")).post("/v1/members/{id}/rewards/{rewardId}/claims", memberId, rewardId);
    }

    private String claimId(RequestSpecification claimant, String rewardId) {
        return claim(claimant, rewardId).then().statusCode(201).extract().path("claimId");
    }

    private void addCauseCalls(Map<String, Call> calls, String json) {
        Map<String, Object> cause = Map.of("name", "Matrix", "matching", Map.of("rateBasisPoints", 1000, "budgetPoints", 10));
        calls.put(key(CauseResource.class, "create"), new Call("create cause", 201,
                request -> request.contentType(json).body(cause).post("/v1/admin/causes")));
        calls.put(key(CauseResource.class, "page"), new Call("causes", 200, request -> request.get("/v1/admin/causes")));
        calls.put(key(CauseResource.class, "find"), new Call("cause", 200, request -> request.get("/v1/admin/causes/{id}", cause(cause))));
        calls.put(key(CauseResource.class, "addMatchingBudget"), new Call("add matching budget", 200, request -> request
                .contentType(json).header("If-Match", "*").body(Map.of("addPoints", 10))
                .post("/v1/admin/causes/{id}/matching-budget", cause(cause))));
        calls.put(key(CauseResource.class, "close"), new Call("close cause", 200,
                request -> request.post("/v1/admin/causes/{id}/close", cause(cause))));
        calls.put(key(CauseResource.class, "statement"), new Call("cause statement", 200, request -> request
                .queryParam("from", OffsetDateTime.now().minusDays(1).toString())
                .queryParam("to", OffsetDateTime.now().plusDays(1).toString()).get("/v1/admin/causes/{id}/statement", cause(cause))));
        calls.put(key(CauseDirectoryResource.class, "active"), new Call("active causes", 200, request -> request.get("/v1/causes")));
        calls.put(key(MemberDonationResource.class, "donate"), new Call("donate", 201, request -> request.contentType(json)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("causeId", cause(cause), "points", 1, "channel", "ONLINE"))
                .post("/v1/members/{id}/donations", memberId)));
    }

    private void addChurnCalls(Map<String, Call> calls, String json) {
        calls.put(key(MemberChurnResource.class, "risk"), new Call("churn risk", 200, request -> request
                .queryParam("asOf", ChurnHistories.FIXTURE_CUTOFF).get("/v1/members/{id}/churn-risk", ChurnHistories.trainedModel())));
        calls.put(key(ChurnModelResource.class, "train"), new Call("train churn model", 201, request -> {
            ChurnHistories.trainedModel();
            return request.contentType(json).body(Map.of("asOf", ChurnHistories.FIXTURE_AS_OF)).post("/v1/admin/churn-models");
        }));
        calls.put(key(ChurnModelResource.class, "models"), new Call("churn models", 200, request -> request.get("/v1/admin/churn-models")));
        calls.put(key(ChurnModelResource.class, "model"), new Call("churn model", 200, request -> {
            ChurnHistories.trainedModel();
            return request.get("/v1/admin/churn-models/{version}", given().get("/v1/admin/churn-models").then().statusCode(200)
                    .extract().path("items[0].version").toString());
        }));
        calls.put(key(ChurnModelResource.class, "evaluate"), new Call("evaluate churn", 200, request -> {
            ChurnHistories.trainedModel();
            return request.contentType(json).body(Map.of("cutoff", ChurnHistories.FIXTURE_CUTOFF)).post("/v1/admin/churn-models/evaluations");
        }));
    }

    private static void addReportCalls(Map<String, Call> calls) {
        calls.put(key(io.pointsledger.reports.ReportResource.class, "earnBurn"), new Call("earn and burn report", 200,
                request -> request.get("/v1/admin/reports/earn-burn")));
        calls.put(key(io.pointsledger.reports.ReportResource.class, "liability"), new Call("liability report", 200,
                request -> request.get("/v1/admin/reports/liability")));
        calls.put(key(io.pointsledger.reports.ReportResource.class, "sales"), new Call("sales report", 200,
                request -> request.get("/v1/admin/reports/sales")));
        calls.put(key(io.pointsledger.reports.ReportResource.class, "breakage"), new Call("breakage report", 200,
                request -> request.get("/v1/admin/reports/breakage")));
        calls.put(key(io.pointsledger.reports.ReportResource.class, "members"), new Call("members report", 200,
                request -> request.get("/v1/admin/reports/members")));
    }

    private void addSurveyCalls(Map<String, Call> calls, String json) {
        calls.put(key(SurveyResource.class, "create"), new Call("create survey", 201, request -> request.contentType(json)
                .body(Map.of("name", "Matrix survey", "trigger", "PURCHASE",
                        "questions", List.of(Map.of("id", "overall", "kind", "RATING", "text", "How was it?"))))
                .post("/v1/admin/surveys")));
        calls.put(key(SurveyResource.class, "page"), new Call("surveys", 200, request -> request.get("/v1/admin/surveys")));
        calls.put(key(SurveyResource.class, "find"), new Call("survey", 200,
                request -> request.get("/v1/admin/surveys/{id}", Surveys.forMembersOf(Surveys.region()))));
        calls.put(key(SurveyResource.class, "close"), new Call("close survey", 200,
                request -> request.post("/v1/admin/surveys/{id}/close", Surveys.forMembersOf(Surveys.region()))));
        calls.put(key(SurveyResource.class, "invite"), new Call("invite survey segment", 202, request -> request.contentType(json)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of())
                .post("/v1/admin/surveys/{id}/invitations", Surveys.forMembersOf(Surveys.region()))));
        calls.put(key(SurveyResource.class, "report"), new Call("survey report", 200, request -> request
                .queryParam("from", OffsetDateTime.now().minusDays(1).toString()).queryParam("to", OffsetDateTime.now().plusDays(1).toString())
                .get("/v1/admin/surveys/{id}/report", Surveys.forMembersOf(Surveys.region()))));
        calls.put(key(SurveyResource.class, "textAnswers"), new Call("survey text answers", 200, request -> request
                .queryParam("question", "comment").get("/v1/admin/surveys/{id}/text-answers", Surveys.forMembersOf(Surveys.region()))));
        calls.put(key(MemberSurveyResponseResource.class, "answer"), new Call("answer survey", 201, request -> {
            String region = Surveys.region();
            return request.contentType(json).body(Map.of("surveyId", Surveys.forMembersOf(region), "answers", Map.of("overall", 5)))
                    .post("/v1/members/{id}/survey-responses", Surveys.memberOf(region));
        }));
    }

    private void addReservationCalls(Map<String, Call> calls, String json) {
        calls.put(key(BookableResource.class, "create"), new Call("create bookable", 201, request -> request.contentType(json)
                .body(Map.of("store", "MATRIX", "service", "Fitting", "capacity", 2, "slotMinutes", 30,
                        "openingHours", List.of(Map.of("day", "MONDAY", "opens", "10:00", "closes", "12:00"))))
                .post("/v1/admin/bookables")));
        calls.put(key(BookableResource.class, "page"), new Call("bookables", 200, request -> request.get("/v1/admin/bookables")));
        calls.put(key(BookableResource.class, "find"), new Call("bookable", 200,
                request -> request.get("/v1/admin/bookables/{id}", Reservations.bookable(1))));
        calls.put(key(AvailabilityResource.class, "availability"), new Call("availability", 200,
                request -> request.get("/v1/bookables/{id}/availability", Reservations.bookable(1))));
        calls.put(key(MemberReservationResource.class, "book"), new Call("book", 201, request -> {
            String bookableId = Reservations.bookable(1);
            String startsAt = Reservations.slotAfter(bookableId, OffsetDateTime.now().plusHours(3));
            return request.contentType(json).header("Idempotency-Key", UUID.randomUUID().toString())
                    .body(Map.of("bookableId", bookableId, "startsAt", startsAt)).post("/v1/members/{id}/reservations", LedgerApi.enroll());
        }));
        calls.put(key(MemberReservationResource.class, "page"), new Call("reservations", 200,
                request -> request.get("/v1/members/{id}/reservations", LedgerApi.enroll())));
        calls.put(key(MemberReservationResource.class, "find"), new Call("reservation", 200, request -> {
            UUID memberId = LedgerApi.enroll();
            String bookableId = Reservations.bookable(1);
            String reservationId = Reservations.book(memberId, bookableId,
                    Reservations.slotAfter(bookableId, OffsetDateTime.now().plusHours(3)));
            return request.get("/v1/members/{id}/reservations/{reservationId}", memberId, reservationId);
        }));
        calls.put(key(MemberReservationResource.class, "change"), new Call("change reservation", 200, request -> {
            UUID memberId = LedgerApi.enroll();
            String bookableId = Reservations.bookable(1);
            String first = Reservations.slotAfter(bookableId, OffsetDateTime.now().plusHours(3));
            String reservationId = Reservations.book(memberId, bookableId, first);
            return request.contentType(json).header("Idempotency-Key", UUID.randomUUID().toString())
                    .body(Map.of("startsAt", Reservations.slotAfter(bookableId, OffsetDateTime.parse(first))))
                    .post("/v1/members/{id}/reservations/{reservationId}/change", memberId, reservationId);
        }));
        calls.put(key(MemberReservationResource.class, "cancel"), new Call("cancel reservation", 200, request -> {
            UUID memberId = LedgerApi.enroll();
            String bookableId = Reservations.bookable(1);
            String reservationId = Reservations.book(memberId, bookableId,
                    Reservations.slotAfter(bookableId, OffsetDateTime.now().plusHours(3)));
            return request.header("Idempotency-Key", UUID.randomUUID().toString())
                    .post("/v1/members/{id}/reservations/{reservationId}/cancellation", memberId, reservationId);
        }));
        calls.put(key(ReservationAttendanceResource.class, "record"), new Call("record attendance", 200, request -> request
                .contentType(json).body(Map.of("outcome", "ATTENDED"))
                .post("/v1/admin/reservations/{id}/attendance", Reservations.bookedForNow())));
    }

    private void addSegmentCalls(Map<String, Call> calls, String json) {
        calls.put(key(SegmentResource.class, "create"), new Call("create segment", 201, request -> request.contentType(json)
                .body(Map.of("name", "Matrix " + UUID.randomUUID(), "rule", "R >= 4")).post("/v1/admin/segments")));
        calls.put(key(SegmentResource.class, "page"), new Call("segments", 200, request -> request.get("/v1/admin/segments")));
        calls.put(key(SegmentResource.class, "find"), new Call("segment", 200,
                request -> request.get("/v1/admin/segments/{id}", Segments.saved("F >= 4"))));
        calls.put(key(SegmentResource.class, "change"), new Call("change segment", 200, request -> request.contentType(json)
                .header("If-Match", "*").body(Map.of("name", "Matrix " + UUID.randomUUID(), "rule", "M >= 4"))
                .put("/v1/admin/segments/{id}", Segments.saved("F >= 4"))));
        calls.put(key(SegmentResource.class, "members"), new Call("segment members", 200,
                request -> request.get("/v1/admin/segments/{id}/members", Segments.saved("F >= 4"))));
        calls.put(key(MemberSegmentAttributesResource.class, "attributes"), new Call("segment attributes", 200,
                request -> request.get("/v1/members/{id}/segment-attributes", LedgerApi.enroll())));
        calls.put(key(AttributeRunResource.class, "start"), new Call("start attribute run", 202, request -> {
            Segments.awaitNoOpenRun();
            Response started = request.post("/v1/admin/segment-attribute-runs");
            Segments.awaitNoOpenRun(); // it measures in the background: none outlives the call
            return started;
        }));
        calls.put(key(AttributeRunResource.class, "page"), new Call("attribute runs", 200,
                request -> request.get("/v1/admin/segment-attribute-runs")));
        calls.put(key(AttributeRunResource.class, "find"), new Call("attribute run", 200, request -> {
            Segments.awaitNoOpenRun();
            String runId = given().post("/v1/admin/segment-attribute-runs").then().statusCode(202).extract().path("runId");
            Segments.awaitNoOpenRun();
            return request.get("/v1/admin/segment-attribute-runs/{id}", runId);
        }));
    }

    private static String cause(Map<String, Object> cause) {
        return given().contentType("application/json").body(cause).post("/v1/admin/causes")
                .then().statusCode(201).extract().path("causeId");
    }

    /** Offers of this test are ended at once: at most a few are active at a time, whatever the order of the calls. */
    private static String endedOffer(Map<String, Object> offer) {
        String offerId = given().contentType("application/json").body(offer).post("/v1/admin/offers")
                .then().statusCode(201).extract().path("offerId");
        given().post("/v1/admin/offers/{id}/end", offerId).then().statusCode(200);
        return offerId;
    }

    private static Response endedOfferAfter(Response created) {
        if (created.statusCode() == 201) {
            given().post("/v1/admin/offers/{id}/end", created.<String>path("offerId")).then().statusCode(200);
        }
        return created;
    }

    private void addCouponCalls(Map<String, Call> calls, String json) {
        Map<String, Object> definition = Map.of("name", "Matrix", "kind", "AMOUNT_OFF", "amountOff", 100);
        calls.put(key(CouponDefinitionResource.class, "create"), new Call("define coupon", 201, request -> request.contentType(json)
                .body(definition).post("/v1/admin/coupon-definitions")));
        calls.put(key(CouponDefinitionResource.class, "page"), new Call("coupon definitions", 200,
                request -> request.get("/v1/admin/coupon-definitions")));
        calls.put(key(CouponDefinitionResource.class, "find"), new Call("coupon definition", 200,
                request -> request.get("/v1/admin/coupon-definitions/{id}", couponDefinition(definition))));
        calls.put(key(CouponDefinitionResource.class, "issue"), new Call("issue coupon", 201, request -> request.contentType(json)
                .body(Map.of()).post("/v1/admin/coupon-definitions/{id}/coupons", couponDefinition(definition))));
        calls.put(key(CouponDefinitionResource.class, "startBatch"), new Call("batch of coupons", 202, request -> request
                .contentType(json).body(Map.of("count", 1)).post("/v1/admin/coupon-definitions/{id}/batches",
                        couponDefinition(definition))));
        calls.put(key(CouponBatchResource.class, "find"), new Call("coupon batch", 200,
                request -> request.get("/v1/admin/coupon-batches/{id}", couponBatch(definition))));
        calls.put(key(CouponBatchResource.class, "codes"), new Call("coupon batch codes", 200,
                request -> request.get("/v1/admin/coupon-batches/{id}/coupons", couponBatch(definition))));
        calls.put(key(MemberCouponResource.class, "wallet"), new Call("member coupons", 200,
                request -> request.get("/v1/members/{id}/coupons", memberId)));
        Map<String, Object> basket = Map.of("memberId", memberId.toString(), "orderId", "matrix",
                "amount", Map.of("value", 1000, "currency", "USD"));
        calls.put(key(CouponResource.class, "validate"), new Call("validate coupon", 200, request -> request.contentType(json)
                .body(basket).post("/v1/coupons/{code}/validate", bearerCode(definition))));
        calls.put(key(CouponResource.class, "redeem"), new Call("redeem coupon", 200, request -> request.contentType(json)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(basket)
                .post("/v1/coupons/{code}/redeem", bearerCode(definition))));
        Map<String, Object> checkout = Map.of("memberId", memberId.toString(), "orderId", "matrix");
        calls.put(key(CouponResource.class, "hold"), new Call("hold coupon", 200, request -> request.contentType(json)
                .body(checkout).post("/v1/coupons/{code}/hold", bearerCode(definition))));
        calls.put(key(CouponResource.class, "release"), new Call("release coupon", 200, request -> {
            String code = bearerCode(definition);
            given().contentType(json).body(checkout).post("/v1/coupons/{code}/hold", code).then().statusCode(200);
            return request.contentType(json).body(checkout).post("/v1/coupons/{code}/release", code);
        }));
    }

    private static String couponDefinition(Map<String, Object> definition) {
        return given().contentType("application/json").body(definition).post("/v1/admin/coupon-definitions")
                .then().statusCode(201).extract().path("definitionId");
    }

    private static String couponBatch(Map<String, Object> definition) {
        return given().contentType("application/json").body(Map.of("count", 1))
                .post("/v1/admin/coupon-definitions/{id}/batches", couponDefinition(definition))
                .then().statusCode(202).extract().path("batchId");
    }

    private static String bearerCode(Map<String, Object> definition) {
        return given().contentType("application/json").body(Map.of())
                .post("/v1/admin/coupon-definitions/{id}/coupons", couponDefinition(definition))
                .then().statusCode(201).extract().path("code");
    }

    /** A draft of the operator's own, which the call under test then reads or changes. */
    private static String draftCampaign(Map<String, Object> campaign) {
        return given().contentType("application/json").body(campaign).post("/v1/admin/campaigns")
                .then().statusCode(201).extract().path("campaignId");
    }

    /** Ended by the operator after the call, whatever it did: no campaign of this test stays active. */
    private static Response endedAfter(String campaignId, Function<String, Response> call) {
        Response answer = call.apply(campaignId);
        given().post("/v1/admin/campaigns/{id}/end", campaignId).then().statusCode(200);
        return answer;
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

    /** A small members file in the test import directory. */
    private static String importFile() {
        try {
            java.nio.file.Path directory = java.nio.file.Path.of("target/test-imports");
            java.nio.file.Files.createDirectories(directory);
            String file = "matrix-" + UUID.randomUUID() + ".csv";
            java.nio.file.Files.writeString(directory.resolve(file), "externalId,name\nmatrix-" + UUID.randomUUID() + ",A\n");
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void addAnnouncementCalls(Map<String, Call> calls, String json) {
        Map<String, Object> gold = Map.of("contents", Map.of("en", Map.of("title", "Matrix", "body", "Test")), "defaultLanguage", "en",
                "audience", Map.of("tiers", List.of("GOLD")));
        java.util.function.Supplier<String> announcement = () -> given().contentType(json)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(gold).post("/v1/admin/announcements")
                .then().statusCode(202).extract().path("announcementId");
        calls.put(key(AnnouncementResource.class, "create"), new Call("announce", 202, request -> request.contentType(json)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(gold).post("/v1/admin/announcements")));
        calls.put(key(AnnouncementResource.class, "list"), new Call("announcements", 200, request -> request.get("/v1/admin/announcements")));
        calls.put(key(AnnouncementResource.class, "find"), new Call("announcement", 200, request -> request
                .get("/v1/admin/announcements/{id}", announcement.get())));
        calls.put(key(AnnouncementResource.class, "messages"), new Call("announcement messages", 200, request -> request
                .get("/v1/admin/announcements/{id}/messages", announcement.get())));
        calls.put(key(AnnouncementResource.class, "cancel"), new Call("cancel announcement", 200, request -> request
                .post("/v1/admin/announcements/{id}/cancel", announcement.get())));
        calls.put(key(MemberMessageResource.class, "list"), new Call("member messages", 200, request -> request
                .get("/v1/members/{id}/messages", memberId)));
    }

    private void addWebhookCalls(Map<String, Call> calls, String json) {
        String webhooks = "/v1/admin/partners/{id}/webhooks";
        calls.put(key(WebhookResource.class, "create"), new Call("create webhook", 201, request -> request.contentType(json)
                .body(Map.of("url", receiver.url(), "eventTypes", List.of("TRANSFER_RECORDED")))
                .post(webhooks, Partners.create(10, "read").partnerId())));
        calls.put(key(WebhookResource.class, "list"), new Call("webhooks", 200, request -> request.get(webhooks, targetPartnerId)));
        calls.put(key(WebhookResource.class, "find"), new Call("webhook", 200, request -> {
            String[] webhook = webhook();
            return request.get(webhooks + "/{webhookId}", webhook[0], webhook[1]);
        }));
        calls.put(key(WebhookResource.class, "delete"), new Call("delete webhook", 204, request -> {
            String[] webhook = webhook();
            return request.delete(webhooks + "/{webhookId}", webhook[0], webhook[1]);
        }));
        calls.put(key(WebhookResource.class, "rotateSecret"), new Call("rotate webhook secret", 201, request -> {
            String[] webhook = webhook();
            return request.post(webhooks + "/{webhookId}/secrets", webhook[0], webhook[1]);
        }));
        calls.put(key(WebhookResource.class, "expireSecret"), new Call("expire webhook secret", 204, request -> {
            String[] webhook = webhook();
            given().post(webhooks + "/{webhookId}/secrets", webhook[0], webhook[1]).then().statusCode(201);
            return request.delete(webhooks + "/{webhookId}/secrets/{secretId}", webhook[0], webhook[1], webhook[2]);
        }));
        calls.put(key(WebhookResource.class, "deliveries"), new Call("webhook deliveries", 200, request -> {
            String[] webhook = webhook();
            return request.get(webhooks + "/{webhookId}/deliveries", webhook[0], webhook[1]);
        }));
        calls.put(key(WebhookResource.class, "replay"), new Call("replay a webhook delivery", 202, request -> {
            String[] webhook = webhook();
            return request.post(webhooks + "/{webhookId}/deliveries/{deliveryId}/replay", webhook[0], webhook[1], delivery(webhook));
        }));
        calls.put(key(WebhookResource.class, "replayDead"), new Call("replay dead webhook deliveries", 202, request -> {
            String[] webhook = webhook();
            return request.contentType(json).body(Map.of("since", OffsetDateTime.now().minusHours(1).toString()))
                    .post(webhooks + "/{webhookId}/replay", webhook[0], webhook[1]);
        }));
    }

    /** A new partner's webhook to the matrix's receiver, which takes everything: partner id, webhook id, secret id. */
    private String[] webhook() {
        String partnerId = Partners.create(10, "read").partnerId();
        io.restassured.path.json.JsonPath created = given().contentType("application/json")
                .body(Map.of("url", receiver.url(), "eventTypes", List.of("TRANSFER_RECORDED")))
                .post("/v1/admin/partners/{id}/webhooks", partnerId).then().statusCode(201).extract().jsonPath();
        return new String[] {partnerId, created.getString("webhook.webhookId"), created.getString("secret.secretId")};
    }

    /** A delivery of the webhook's: an event of its partner's, handed to the webhooks' consumer as the broker would. */
    private String delivery(String[] webhook) {
        String payload = new io.vertx.core.json.JsonObject().put("eventType", "TRANSFER_RECORDED")
                .put("transferId", UUID.randomUUID().toString()).put("memberId", memberId.toString()).put("kind", "EARN")
                .put("partnerId", webhook[0]).encode();
        webhookConsumer.consumeLedgerEvents(List.of(payload)).await().atMost(java.time.Duration.ofSeconds(10));
        return given().get("/v1/admin/partners/{id}/webhooks/{webhookId}/deliveries", webhook[0], webhook[1])
                .then().statusCode(200).extract().path("items[0].deliveryId");
    }

    /** An import started by the operator, to be read by the key under test. */
    private static String importJob() {
        return given().contentType("application/json").body(Map.of("kind", "MEMBERS", "file", importFile()))
                .post("/v1/admin/imports").then().statusCode(202).extract().path("jobId");
    }

    /** The scanned resource methods that declare a scope and have a call here; the tests below check that all do. */
    List<Endpoint> endpoints() {
        Map<String, Call> calls = calls();
        return RESOURCE_METHODS.stream()
                .filter(method -> method.isAnnotationPresent(RequiresScope.class) && calls.containsKey(methodKey(method)))
                .map(method -> {
                    Call call = calls.get(methodKey(method));
                    return new Endpoint(call.name() + " (" + methodKey(method) + ")", method.getAnnotation(RequiresScope.class).value(),
                            call.successStatus(), call.request());
                })
                .toList();
    }

    @Test
    void shouldFindTheResourceMethodsByScanning() {
        // A scan that found nothing would make every other check here pass vacuously.
        Set<String> resources = RESOURCE_METHODS.stream().map(method -> method.getDeclaringClass().getSimpleName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(resources.containsAll(Set.of(MemberResource.class.getSimpleName(), LedgerResource.class.getSimpleName(),
                ReconciliationResource.class.getSimpleName(), AuditResource.class.getSimpleName(),
                PartnerResource.class.getSimpleName(), MemberHoldResource.class.getSimpleName(), HoldResource.class.getSimpleName(),
                TransactionResource.class.getSimpleName(), AdjustmentResource.class.getSimpleName(),
                TierResource.class.getSimpleName(), RecommendationResource.class.getSimpleName())), "found " + resources);
    }

    @Test
    void shouldDeclareAScopeOnEveryResourceMethod() {
        List<String> undeclared = RESOURCE_METHODS.stream()
                .filter(method -> !method.isAnnotationPresent(RequiresScope.class) && !method.isAnnotationPresent(Anonymous.class))
                .map(AuthorizationMatrixTest::methodKey).toList();
        assertEquals(List.of(), undeclared, "resource methods without @RequiresScope (they refuse every caller)");
    }

    /**
     * An operation without a key is a hole unless it carries its own proof: the list is closed, so
     * that a new one is a decision reviewed here, not an annotation slipped in.
     */
    @Test
    void shouldOpenOnlyTheUnsubscribeLinkToCallersWithoutAKey() {
        List<String> anonymous = RESOURCE_METHODS.stream().filter(method -> method.isAnnotationPresent(Anonymous.class))
                .map(AuthorizationMatrixTest::methodKey).toList();
        assertEquals(List.of(key(UnsubscribeResource.class, "page"), key(UnsubscribeResource.class, "unsubscribe")),
                anonymous.stream().sorted().toList());
        List<String> both = RESOURCE_METHODS.stream()
                .filter(method -> method.isAnnotationPresent(Anonymous.class) && method.isAnnotationPresent(RequiresScope.class))
                .map(AuthorizationMatrixTest::methodKey).toList();
        assertEquals(List.of(), both, "an operation is either anonymous or scoped");
    }

    /** What the OpenAPI document tells integrators is the scope the filter enforces, never a stale copy. */
    @Test
    void shouldDocumentTheDeclaredScopeOfEveryOperation() {
        List<String> misdocumented = RESOURCE_METHODS.stream().filter(method -> method.isAnnotationPresent(RequiresScope.class))
                .filter(method -> {
                    Operation operation = method.getAnnotation(Operation.class);
                    String declared = "Scope: " + method.getAnnotation(RequiresScope.class).value().wireName();
                    return operation == null || !operation.description().matches(Pattern.quote(declared) + "\\b.*");
                })
                .map(AuthorizationMatrixTest::methodKey).toList();
        assertEquals(List.of(), misdocumented, "operations whose description does not start with their declared scope");
    }

    @Test
    void shouldCallEveryResourceMethodInThisMatrix() {
        Set<String> scanned = RESOURCE_METHODS.stream().map(AuthorizationMatrixTest::methodKey)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> called = new TreeSet<>(calls().keySet());
        assertEquals(scanned, called, "every resource method needs exactly one call in calls(), and no call may name a method that is gone");
    }

    /**
     * The scope is checked before the body is read: a key without it learns nothing from how its
     * body would have been judged, and no work is spent parsing it. The same bodies from a key
     * with the scope are refused as bad input, so the 403s below are not an accident of the body.
     */
    @Test
    void shouldRefuseAMissingScopeBeforeReadingTheBody() {
        createPartnersAndDataOnce();
        TestPartner readOnly = Partners.create(10_000, "read");
        String holdId = UUID.randomUUID().toString();
        Function<String, Response> malformedCapture = key -> as(key).contentType("application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"points\": ").post("/v1/holds/{id}/capture", holdId);
        Function<String, Response> invalidCapture = key -> as(key).contentType("application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("points", -5)).post("/v1/holds/{id}/capture", holdId);
        Function<String, Response> invalidEarn = key -> as(key).contentType("application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("orderId", "")).post("/v1/members/{id}/earn", memberId);
        Function<String, Response> malformedEnroll = key -> as(key).contentType("application/json")
                .body("[1, 2").post("/v1/members");

        for (Function<String, Response> call : List.of(malformedCapture, invalidCapture, invalidEarn, malformedEnroll)) {
            call.apply(readOnly.apiKey()).then()
                    .statusCode(403).contentType("application/problem+json").body("code", equalTo("FORBIDDEN_SCOPE"));
        }
        malformedCapture.apply(partnerWithOnly.get(Scope.HOLD).apiKey()).then().statusCode(400).body("code", equalTo("MALFORMED_REQUEST"));
        invalidCapture.apply(partnerWithOnly.get(Scope.HOLD).apiKey()).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        invalidEarn.apply(partnerWithOnly.get(Scope.EARN).apiKey()).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        malformedEnroll.apply(partnerWithOnly.get(Scope.EARN).apiKey()).then().statusCode(400).body("code", equalTo("MALFORMED_REQUEST"));
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
            if (Stream.of("revoke key", "issue key", "capture", "void", "reverse").anyMatch(endpoint.name()::startsWith)) {
                continue;
            }
            statuses.add(endpoint.call().apply(as(partnerWithOnly.get(Scope.ADMIN).apiKey())).statusCode());
        }
        statuses.forEach(status -> assertTrue(status < 300, "status " + status));
    }
}
