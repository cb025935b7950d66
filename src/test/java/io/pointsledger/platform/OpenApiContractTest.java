package io.pointsledger.platform;

import static io.pointsledger.support.LedgerApi.ADMIN_KEY;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pointsledger.communication.ContactChannel;
import io.pointsledger.communication.UnsubscribeLinks;
import io.pointsledger.support.Holds;
import io.pointsledger.support.ChurnHistories;
import io.pointsledger.support.Reservations;
import io.pointsledger.support.Segments;
import io.pointsledger.support.Surveys;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The OpenAPI document the service serves is what a client is generated from, so it must
 * describe the answers the service really gives. Every operation in the served document is
 * called with its documented example request, and every answer (status, headers, content type,
 * body) is checked against the document by swagger-request-validator. Error answers and fields
 * that are null are exercised too, because that is where generated clients broke.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private static JsonNode document;

    @Inject
    UnsubscribeLinks unsubscribeLinks;
    private static OpenApiInteractionValidator requestsAndAnswers;
    private static OpenApiInteractionValidator answersOnly;

    /** The served document; read once (the application is the same for every test of the class). */
    private static synchronized JsonNode document() {
        if (document == null) {
            String served = RestAssured.given().get("/q/openapi?format=json")
                    .then().statusCode(200).extract().asString();
            try {
                document = JSON.readTree(served);
            } catch (Exception e) {
                throw new IllegalStateException("The served OpenAPI document is not JSON", e);
            }
            requestsAndAnswers = OpenApiInteractionValidator.createForInlineApiSpecification(served).build();
            // Error cases send requests the document forbids on purpose; only their answers are checked.
            answersOnly = OpenApiInteractionValidator.createForInlineApiSpecification(served)
                    .withLevelResolver(LevelResolver.create().withLevel("validation.request", ValidationReport.Level.IGNORE).build())
                    .build();
        }
        return document;
    }

    @Test
    void shouldServeOpenApi303WithTheProblemCodesAndBearerKeys() {
        JsonNode served = document();
        assertEquals("3.0.3", served.path("openapi").asText());
        assertEquals("bearer", served.at("/components/securitySchemes/apiKey/scheme").asText());
        List<String> codes = new ArrayList<>();
        served.at("/components/schemas/ErrorCode/enum").forEach(code -> codes.add(code.asText()));
        assertEquals(Stream.of(ErrorCode.values()).map(Enum::name).toList(), codes);
        assertEquals("#/components/schemas/ErrorCode", served.at("/components/schemas/Problem/properties/code/$ref").asText());
    }

    /** Fails for an operation without a case, so a new endpoint cannot go unchecked. */
    @TestFactory
    Stream<DynamicTest> shouldAnswerEveryDocumentedOperationAsDocumented() {
        Map<String, Supplier<Response>> cases = successCases();
        List<DynamicTest> tests = new ArrayList<>();
        Set<String> documented = new TreeSet<>();
        forEachOperation((key, operation) -> {
            documented.add(key);
            tests.add(DynamicTest.dynamicTest(key, () -> {
                Supplier<Response> call = cases.get(key);
                if (call == null) {
                    fail("No contract case for " + key + ": add one to OpenApiContractTest.successCases()");
                }
                assertEquals(documentedSuccess(operation), call.get().statusCode(), key);
            }));
        });
        tests.add(DynamicTest.dynamicTest("no case for an undocumented operation", () -> {
            Set<String> stale = new TreeSet<>(cases.keySet());
            stale.removeAll(documented);
            assertTrue(stale.isEmpty(), "Cases for operations the document does not have: " + stale);
        }));
        return tests.stream();
    }

    /** Answer examples are checked here; request examples by the cases, which send them through the validator. */
    @Test
    void shouldDocumentAnExampleThatFitsEveryBody() {
        forEachOperation((key, operation) -> {
            JsonNode requestSchema = operation.at("/requestBody/content/application~1json/schema");
            if (!requestSchema.isMissingNode()) {
                assertFalse(example(requestSchema).isMissingNode(), key + ": request body without an example");
            }
            operation.path("responses").fields().forEachRemaining(response -> {
                response.getValue().path("content").fields().forEachRemaining(media -> {
                    int status = Integer.parseInt(response.getKey());
                    JsonNode example = example(media.getValue().path("schema"));
                    assertFalse(example.isMissingNode(), key + " " + status + ": answer without an example");
                    SimpleResponse.Builder answer = answerWithRequiredHeaders(status, response.getValue());
                    assertAnswerFits(key, answer.withContentType(media.getKey()).withBody(example.toString()).build());
                    media.getValue().path("examples").forEach(named -> assertAnswerFits(key,
                            answer.withContentType(media.getKey()).withBody(resolve(named).path("value").toString()).build()));
                });
            });
        });
    }

    // ---------------------------------------------------------------------------------------------
    // One case per operation: fixtures made without the validator, then the documented example
    // request sent through it.
    // ---------------------------------------------------------------------------------------------

    private Map<String, Supplier<Response>> successCases() {
        Map<String, Supplier<Response>> cases = new LinkedHashMap<>();
        cases.put("POST /v1/members", () -> contract().contentType(ContentType.JSON)
                .body(example("POST", "/v1/members").put("externalId", unique("till")).put("phone", uniquePhone()))
                .post("/v1/members"));
        cases.put("POST /v1/members/lookups", () -> {
            String phone = uniquePhone();
            enroll(Map.of("name", "Phone Only", "phone", phone, "channel", "OFFLINE"));
            return contract().contentType(ContentType.JSON).body(example("POST", "/v1/members/lookups").put("phone", phone))
                    .post("/v1/members/lookups");
        });
        // A member who gave nothing but a name: externalId, email, phone, birthDate and erasedAt are null.
        cases.put("GET /v1/members/{memberId}", () -> contract().get("/v1/members/{memberId}", LedgerApi.enroll()));
        cases.put("DELETE /v1/members/{memberId}", () -> contract().delete("/v1/members/{memberId}", LedgerApi.enroll()));
        cases.put("GET /v1/members/{memberId}/contact-preferences", () -> contract()
                .get("/v1/members/{memberId}/contact-preferences", LedgerApi.enroll()));
        cases.put("PUT /v1/members/{memberId}/contact-preferences", () -> contract().contentType(ContentType.JSON)
                .header("If-Match", "\"0\"").body(example("PUT", "/v1/members/{memberId}/contact-preferences"))
                .put("/v1/members/{memberId}/contact-preferences", LedgerApi.enroll()));
        cases.put("GET /v1/unsubscribe/{token}", () -> contract().accept("text/html")
                .get("/v1/unsubscribe/{token}", unsubscribeLinks.tokenFor(LedgerApi.enroll(), ContactChannel.SMS)));
        cases.put("POST /v1/unsubscribe/{token}", () -> contract()
                .post("/v1/unsubscribe/{token}", unsubscribeLinks.tokenFor(LedgerApi.enroll(), ContactChannel.EMAIL)));
        addImportCases(cases);
        addWebhookCases(cases);
        cases.put("PATCH /v1/members/{memberId}", () -> contract().contentType("application/merge-patch+json")
                .header("If-Match", "\"1\"").body(example("PATCH", "/v1/members/{memberId}"))
                .patch("/v1/members/{memberId}", LedgerApi.enroll()));
        cases.put("POST /v1/members/{memberId}/earn", () -> write("/v1/members/{memberId}/earn", LedgerApi.enroll()));
        cases.put("POST /v1/members/{memberId}/redeem", () -> write("/v1/members/{memberId}/redeem", LedgerApi.enrollWithPoints(10_000)));
        cases.put("GET /v1/members/{memberId}/balance", () -> contract()
                .get("/v1/members/{memberId}/balance", LedgerApi.enrollWithPoints(1_000)));
        cases.put("GET /v1/members/{memberId}/transactions", () -> {
            UUID memberId = LedgerApi.enrollWithPoints(1_000);
            LedgerApi.redeem(memberId, unique("redeem"), 10).then().statusCode(201);
            return contract().queryParam("limit", 1).get("/v1/members/{memberId}/transactions", memberId);
        });
        cases.put("GET /v1/members/{memberId}/recommendations", () -> contract()
                .get("/v1/members/{memberId}/recommendations", LedgerApi.enrollWithPoints(1_000)));
        cases.put("GET /v1/members/{memberId}/tier", () -> contract().get("/v1/members/{memberId}/tier", LedgerApi.enroll()));
        cases.put("POST /v1/members/{memberId}/holds", () -> write("/v1/members/{memberId}/holds", LedgerApi.enrollWithPoints(10_000)));
        cases.put("POST /v1/holds/{holdId}/capture", () -> write("/v1/holds/{holdId}/capture",
                Holds.holdId(LedgerApi.enrollWithPoints(10_000), 300)));
        cases.put("POST /v1/holds/{holdId}/void", () -> contract().header(IdempotencyHeaders.KEY, unique("void"))
                .post("/v1/holds/{holdId}/void", Holds.holdId(LedgerApi.enrollWithPoints(10_000), 300)));
        // A hold looked up, not written: transactionId, available, posted and held are null.
        cases.put("GET /v1/holds/{holdId}", () -> contract()
                .get("/v1/holds/{holdId}", Holds.holdId(LedgerApi.enrollWithPoints(10_000), 300)));
        cases.put("POST /v1/admin/members/{memberId}/adjustments", () -> write("/v1/admin/members/{memberId}/adjustments",
                LedgerApi.enroll()));
        // An earn: reason and relatedTransactionId are null.
        cases.put("GET /v1/transactions/{transactionId}", () -> contract()
                .get("/v1/transactions/{transactionId}", earnedTransaction(LedgerApi.enroll(), 1_000)));
        cases.put("POST /v1/transactions/{transactionId}/reverse", () -> write("/v1/transactions/{transactionId}/reverse",
                earnedTransaction(LedgerApi.enroll(), 1_000)));
        cases.put("GET /v1/admin/reconciliation", () -> contract().get("/v1/admin/reconciliation"));
        cases.put("GET /v1/admin/settlement", () -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            return contract().queryParam("from", now.minusDays(1).toString()).queryParam("to", now.plusDays(1).toString())
                    .get("/v1/admin/settlement");
        });
        cases.put("GET /v1/admin/audit", () -> contract().queryParam("limit", 1).get("/v1/admin/audit"));
        cases.put("POST /v1/admin/partners", () -> contract().contentType(ContentType.JSON)
                .body(example("POST", "/v1/admin/partners")).post("/v1/admin/partners"));
        cases.put("GET /v1/admin/partners/{partnerId}", () -> contract()
                .get("/v1/admin/partners/{partnerId}", Partners.create(100, "read").partnerId()));
        cases.put("POST /v1/admin/partners/{partnerId}/keys", () -> contract()
                .post("/v1/admin/partners/{partnerId}/keys", Partners.create(100, "read").partnerId()));
        cases.put("DELETE /v1/admin/partners/{partnerId}/keys/{keyId}", () -> {
            Partners.TestPartner partner = Partners.create(100, "read");
            return contract().delete("/v1/admin/partners/{partnerId}/keys/{keyId}", partner.partnerId(), partner.keyId());
        });
        cases.put("POST /v1/admin/campaigns", () -> contract().contentType(ContentType.JSON)
                .body(example("POST", "/v1/admin/campaigns")).post("/v1/admin/campaigns"));
        cases.put("GET /v1/admin/campaigns", () -> {
            draftCampaign();
            return contract().queryParam("limit", 2).get("/v1/admin/campaigns");
        });
        cases.put("GET /v1/admin/campaigns/active", () -> contract().get("/v1/admin/campaigns/active"));
        cases.put("GET /v1/admin/campaigns/{campaignId}", () -> contract().get("/v1/admin/campaigns/{campaignId}", draftCampaign()));
        cases.put("PUT /v1/admin/campaigns/{campaignId}", () -> contract().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(example("PUT", "/v1/admin/campaigns/{campaignId}")).put("/v1/admin/campaigns/{campaignId}", draftCampaign()));
        // Activated and paused campaigns are ended at once: they name a SKU of their own all the same.
        cases.put("POST /v1/admin/campaigns/{campaignId}/activate", () -> endedAfter(draftCampaign(),
                campaignId -> contract().post("/v1/admin/campaigns/{campaignId}/activate", campaignId)));
        cases.put("POST /v1/admin/campaigns/{campaignId}/pause", () -> endedAfter(draftCampaign(), campaignId -> {
            LedgerApi.given().post("/v1/admin/campaigns/{campaignId}/activate", campaignId).then().statusCode(200);
            return contract().post("/v1/admin/campaigns/{campaignId}/pause", campaignId);
        }));
        cases.put("POST /v1/admin/campaigns/{campaignId}/end", () -> contract()
                .post("/v1/admin/campaigns/{campaignId}/end", draftCampaign()));
        cases.put("GET /v1/admin/campaigns/{campaignId}/versions", () -> contract()
                .get("/v1/admin/campaigns/{campaignId}/versions", draftCampaign()));
        addCouponCases(cases);
        addOfferCases(cases);
        addRewardCases(cases);
        addCauseCases(cases);
        addChurnCases(cases);
        addSegmentCases(cases);
        addReservationCases(cases);
        addSurveyCases(cases);
        addReportCases(cases);
        addAnnouncementCases(cases);
        cases.put("GET /v1/admin/experiments/{campaignId}/report", () -> {
            String campaignId = LedgerApi.given().contentType(ContentType.JSON).body(Map.of("name", "Contract test",
                    "trigger", "PURCHASE", "priority", 1, "conditions", Map.of("skus", List.of(unique("SKU-CONTRACT"))),
                    "variants", List.of(Map.of("name", "control", "shareBasisPoints", 5_000, "control", true),
                            Map.of("name", "bonus", "shareBasisPoints", 5_000, "effect", Map.of("bonusPoints", 1)))))
                    .post("/v1/admin/campaigns").then().statusCode(201).extract().path("campaignId");
            return contract().get("/v1/admin/experiments/{campaignId}/report", campaignId);
        });
        return cases;
    }

    /** A webhook of a new partner's, to a port that refuses connections; deleted by the case that needs it no more. */
    private record TestWebhook(String partnerId, String webhookId, String secretId, String apiKey) {
        void delete() {
            LedgerApi.given().delete("/v1/admin/partners/{partnerId}/webhooks/{webhookId}", partnerId, webhookId);
        }
    }

    private static TestWebhook webhook() {
        Partners.TestPartner partner = Partners.create(100, "earn", "earn:manual", "read");
        io.restassured.path.json.JsonPath created = LedgerApi.given().contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/contract", "eventTypes", List.of("TRANSFER_RECORDED")))
                .post("/v1/admin/partners/{partnerId}/webhooks", partner.partnerId()).then().statusCode(201).extract().jsonPath();
        return new TestWebhook(partner.partnerId(), created.getString("webhook.webhookId"), created.getString("secret.secretId"),
                partner.apiKey());
    }

    /** A webhook with one delivery, refused and tried again (nothing listens on its port). */
    private static TestWebhook webhookWithADelivery() {
        TestWebhook webhook = webhook();
        LedgerApi.earnPointsAs(webhook.apiKey(), LedgerApi.enroll(), UUID.randomUUID().toString(), 5).then().statusCode(201);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> LedgerApi.given()
                .get("/v1/admin/partners/{partnerId}/webhooks/{webhookId}/deliveries", webhook.partnerId(), webhook.webhookId())
                .then().extract().jsonPath().getInt("items[0].attempts") >= 1);
        return webhook;
    }

    private static String deliveryOf(TestWebhook webhook) {
        return LedgerApi.given().get("/v1/admin/partners/{partnerId}/webhooks/{webhookId}/deliveries", webhook.partnerId(),
                webhook.webhookId()).then().extract().path("items[0].deliveryId");
    }

    private static Response andDelete(TestWebhook webhook, Response answer) {
        webhook.delete();
        return answer;
    }

    private static void addWebhookCases(Map<String, Supplier<Response>> cases) {
        String webhooks = "/v1/admin/partners/{partnerId}/webhooks";
        cases.put("POST " + webhooks, () -> {
            String partnerId = Partners.create(100, "earn", "read").partnerId();
            Response answer = contract().contentType(ContentType.JSON)
                    .body(example("POST", webhooks).put("url", "http://127.0.0.1:9/contract")).post(webhooks, partnerId);
            LedgerApi.given().delete(webhooks + "/{webhookId}", partnerId, answer.path("webhook.webhookId").toString());
            return answer;
        });
        cases.put("GET " + webhooks, () -> {
            TestWebhook webhook = webhook();
            return andDelete(webhook, contract().get(webhooks, webhook.partnerId()));
        });
        cases.put("GET " + webhooks + "/{webhookId}", () -> {
            TestWebhook webhook = webhook();
            return andDelete(webhook, contract().get(webhooks + "/{webhookId}", webhook.partnerId(), webhook.webhookId()));
        });
        cases.put("DELETE " + webhooks + "/{webhookId}", () -> {
            TestWebhook webhook = webhook();
            return contract().delete(webhooks + "/{webhookId}", webhook.partnerId(), webhook.webhookId());
        });
        cases.put("POST " + webhooks + "/{webhookId}/secrets", () -> {
            TestWebhook webhook = webhook();
            return andDelete(webhook, contract().post(webhooks + "/{webhookId}/secrets", webhook.partnerId(), webhook.webhookId()));
        });
        cases.put("DELETE " + webhooks + "/{webhookId}/secrets/{secretId}", () -> {
            TestWebhook webhook = webhook();
            LedgerApi.given().post(webhooks + "/{webhookId}/secrets", webhook.partnerId(), webhook.webhookId()).then().statusCode(201);
            return andDelete(webhook, contract().delete(webhooks + "/{webhookId}/secrets/{secretId}", webhook.partnerId(),
                    webhook.webhookId(), webhook.secretId()));
        });
        cases.put("GET " + webhooks + "/{webhookId}/deliveries", () -> {
            TestWebhook webhook = webhookWithADelivery();
            return andDelete(webhook, contract().get(webhooks + "/{webhookId}/deliveries", webhook.partnerId(), webhook.webhookId()));
        });
        cases.put("POST " + webhooks + "/{webhookId}/deliveries/{deliveryId}/replay", () -> {
            TestWebhook webhook = webhookWithADelivery();
            return andDelete(webhook, contract().post(webhooks + "/{webhookId}/deliveries/{deliveryId}/replay", webhook.partnerId(),
                    webhook.webhookId(), deliveryOf(webhook)));
        });
        cases.put("POST " + webhooks + "/{webhookId}/replay", () -> {
            TestWebhook webhook = webhook();
            return andDelete(webhook, contract().contentType(ContentType.JSON).body(example("POST", webhooks + "/{webhookId}/replay"))
                    .post(webhooks + "/{webhookId}/replay", webhook.partnerId(), webhook.webhookId()));
        });
    }

    /** Offers made here are ended at once: only the members' look-up needs an active one. */
    private static void addImportCases(Map<String, Supplier<Response>> cases) {
        Supplier<String> finishedImport = () -> {
            try {
                java.nio.file.Path directory = java.nio.file.Path.of("target/test-imports");
                java.nio.file.Files.createDirectories(directory);
                String file = "contract-" + UUID.randomUUID() + ".csv";
                java.nio.file.Files.writeString(directory.resolve(file), "externalId,name,phone\n" + unique("imp") + ",A,\n"
                        + unique("imp") + ",,bad\n");
                String jobId = LedgerApi.given().contentType(ContentType.JSON).body(Map.of("kind", "MEMBERS", "file", file))
                        .post("/v1/admin/imports").then().statusCode(202).extract().path("jobId");
                for (int attempt = 0; attempt < 200 && "RUNNING".equals(LedgerApi.given().get("/v1/admin/imports/{jobId}", jobId)
                        .then().extract().path("status")); attempt++) {
                    Thread.sleep(50);
                }
                return jobId;
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        cases.put("POST /v1/admin/imports", () -> {
            String jobId = finishedImport.get();
            String file = LedgerApi.given().get("/v1/admin/imports/{jobId}", jobId).then().extract().path("file");
            return contract().contentType(ContentType.JSON).body(example("POST", "/v1/admin/imports").put("file", file))
                    .post("/v1/admin/imports");
        });
        cases.put("GET /v1/admin/imports", () -> {
            finishedImport.get();
            return contract().get("/v1/admin/imports?limit=2");
        });
        cases.put("GET /v1/admin/imports/{jobId}", () -> contract().get("/v1/admin/imports/{jobId}", finishedImport.get()));
        cases.put("GET /v1/admin/imports/{jobId}/errors", () -> contract().get("/v1/admin/imports/{jobId}/errors", finishedImport.get()));
        cases.put("GET /v1/admin/imports/{jobId}/error-report", () -> contract().accept("text/csv")
                .get("/v1/admin/imports/{jobId}/error-report", finishedImport.get()));
    }

    /** An announcement to GOLD members only: the contract needs one, not messages to the whole test database. */
    private static String announcement() {
        return LedgerApi.given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(ANNOUNCEMENT).post("/v1/admin/announcements").then().statusCode(202).extract().path("announcementId");
    }

    private static final Map<String, Object> ANNOUNCEMENT = Map.of("contents", Map.of("en", Map.of("title", "Contract", "body", "Test")),
            "defaultLanguage", "en", "audience", Map.of("tiers", List.of("GOLD")), "importance", "NORMAL");

    private static void addAnnouncementCases(Map<String, Supplier<Response>> cases) {
        cases.put("POST /v1/admin/announcements", () -> contract().contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(ANNOUNCEMENT).post("/v1/admin/announcements"));
        cases.put("GET /v1/admin/announcements", () -> {
            announcement();
            return contract().get("/v1/admin/announcements?limit=1");
        });
        cases.put("GET /v1/admin/announcements/{announcementId}", () -> contract()
                .get("/v1/admin/announcements/{announcementId}", announcement()));
        cases.put("GET /v1/admin/announcements/{announcementId}/messages", () -> contract()
                .get("/v1/admin/announcements/{announcementId}/messages", announcement()));
        cases.put("POST /v1/admin/announcements/{announcementId}/cancel", () -> contract()
                .post("/v1/admin/announcements/{announcementId}/cancel", announcement()));
        cases.put("GET /v1/members/{memberId}/messages", () -> contract().get("/v1/members/{memberId}/messages", LedgerApi.enroll()));
    }

    private static void addOfferCases(Map<String, Supplier<Response>> cases) {
        cases.put("POST /v1/admin/offers", () -> {
            Response created = contract().contentType(ContentType.JSON).body(example("POST", "/v1/admin/offers"))
                    .post("/v1/admin/offers");
            LedgerApi.given().post("/v1/admin/offers/{offerId}/end", created.<String>path("offerId")).then().statusCode(200);
            return created;
        });
        cases.put("GET /v1/admin/offers", () -> contract().queryParam("limit", 2).get("/v1/admin/offers"));
        cases.put("GET /v1/admin/offers/{offerId}", () -> contract().get("/v1/admin/offers/{offerId}", endedOffer()));
        cases.put("POST /v1/admin/offers/{offerId}/end", () -> contract().post("/v1/admin/offers/{offerId}/end", endedOffer()));
        cases.put("GET /v1/members/{memberId}/offers", () -> contract().get("/v1/members/{memberId}/offers", LedgerApi.enroll()));
    }

    private static void addRewardCases(Map<String, Supplier<Response>> cases) {
        cases.put("POST /v1/admin/rewards", () -> contract().contentType(ContentType.JSON)
                .body(example("POST", "/v1/admin/rewards")).post("/v1/admin/rewards"));
        cases.put("GET /v1/admin/rewards", () -> {
            contractReward(null);
            return contract().queryParam("limit", 2).get("/v1/admin/rewards");
        });
        cases.put("GET /v1/admin/rewards/{rewardId}", () -> contract().get("/v1/admin/rewards/{rewardId}", contractReward(5L)));
        cases.put("POST /v1/admin/rewards/{rewardId}/stock", () -> contract().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(example("POST", "/v1/admin/rewards/{rewardId}/stock")).post("/v1/admin/rewards/{rewardId}/stock",
                        contractReward(5L)));
        cases.put("POST /v1/admin/rewards/{rewardId}/retire", () -> contract()
                .post("/v1/admin/rewards/{rewardId}/retire", contractReward(null)));
        cases.put("GET /v1/admin/rewards/{rewardId}/claims", () -> {
            String rewardId = contractReward(5L);
            UUID memberId = LedgerApi.enrollWithPoints(10_000);
            String claimId = claimed(memberId, rewardId);
            LedgerApi.given().contentType(ContentType.JSON).body(Map.of("reference", "shipment 1"))
                    .post("/v1/reward-claims/{claimId}/fulfilment", claimId).then().statusCode(200);
            claimed(memberId, rewardId);
            return contract().get("/v1/admin/rewards/{rewardId}/claims", rewardId);
        });
        cases.put("GET /v1/members/{memberId}/rewards", () -> {
            contractReward(5L);
            return contract().queryParam("limit", 3).get("/v1/members/{memberId}/rewards", LedgerApi.enrollWithPoints(1_000));
        });
        cases.put("POST /v1/members/{memberId}/rewards/{rewardId}/claims", () -> contract().contentType(ContentType.JSON)
                .header(IdempotencyHeaders.KEY, unique("claim"))
                .body(example("POST", "/v1/members/{memberId}/rewards/{rewardId}/claims"))
                .post("/v1/members/{memberId}/rewards/{rewardId}/claims", LedgerApi.enrollWithPoints(10_000), contractReward(5L)));
        cases.put("GET /v1/members/{memberId}/reward-claims", () -> {
            UUID memberId = LedgerApi.enrollWithPoints(10_000);
            String claimId = claimed(memberId, contractReward(5L));
            LedgerApi.given().contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, unique("cancel")).body(Map.of())
                    .post("/v1/members/{memberId}/reward-claims/{claimId}/cancellation", memberId, claimId)
                    .then().statusCode(200);
            claimed(memberId, experienceReward());
            return contract().get("/v1/members/{memberId}/reward-claims", memberId);
        });
        cases.put("GET /v1/members/{memberId}/reward-claims/{claimId}", () -> {
            UUID memberId = LedgerApi.enrollWithPoints(10_000);
            return contract().get("/v1/members/{memberId}/reward-claims/{claimId}", memberId,
                    claimed(memberId, experienceReward()));
        });
        cases.put("POST /v1/members/{memberId}/reward-claims/{claimId}/cancellation", () -> {
            UUID memberId = LedgerApi.enrollWithPoints(10_000);
            return contract().contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, unique("cancel"))
                    .body(example("POST", "/v1/members/{memberId}/reward-claims/{claimId}/cancellation"))
                    .post("/v1/members/{memberId}/reward-claims/{claimId}/cancellation", memberId,
                            claimed(memberId, contractReward(5L)));
        });
        cases.put("GET /v1/reward-claims", () -> {
            claimed(LedgerApi.enrollWithPoints(10_000), contractReward(5L));
            return contract().queryParam("status", "CLAIMED").queryParam("limit", 2).get("/v1/reward-claims");
        });
        cases.put("POST /v1/reward-claims/{claimId}/fulfilment", () -> contract().contentType(ContentType.JSON)
                .body(example("POST", "/v1/reward-claims/{claimId}/fulfilment"))
                .post("/v1/reward-claims/{claimId}/fulfilment", claimed(LedgerApi.enrollWithPoints(10_000), contractReward(5L))));
    }

    /** A PRODUCT at 1 200 points, the price the claim example expects; {@code stock} null: no limit. */
    private static String contractReward(Long stock) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("kind", "PRODUCT", "name", "Contract tote", "points", 1200,
                "imageUrls", List.of("https://cdn.shop.example/tote.jpg"), "pointsByTier", Map.of("GOLD", 1000)));
        body.put("stock", stock);
        return LedgerApi.given().contentType(ContentType.JSON).body(body).post("/v1/admin/rewards")
                .then().statusCode(201).extract().path("rewardId");
    }

    private static String experienceReward() {
        OffsetDateTime startsAt = OffsetDateTime.now(ZoneOffset.UTC).plusDays(7);
        return LedgerApi.given().contentType(ContentType.JSON).body(Map.of("kind", "EXPERIENCE", "name", "Contract evening",
                "points", 1200, "stock", 10, "perMemberLimit", 1, "eligibility", Map.of("tiers", List.of("BASIC", "GOLD")),
                "event", Map.of("startsAt", startsAt.toString(), "venue", "Flagship store")))
                .post("/v1/admin/rewards").then().statusCode(201).extract().path("rewardId");
    }

    private static String claimed(UUID memberId, String rewardId) {
        return LedgerApi.given().contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, unique("claim"))
                .body(Map.of("channel", "ONLINE")).post("/v1/members/{memberId}/rewards/{rewardId}/claims", memberId, rewardId)
                .then().statusCode(201).extract().path("claimId");
    }

    private static void addChurnCases(Map<String, Supplier<Response>> cases) {
        cases.put("GET /v1/members/{memberId}/churn-risk", () -> contract().queryParam("asOf", ChurnHistories.FIXTURE_CUTOFF)
                .get("/v1/members/{memberId}/churn-risk", ChurnHistories.trainedModel()));
        cases.put("POST /v1/admin/churn-models", () -> {
            ChurnHistories.trainedModel();
            return contract().contentType(ContentType.JSON).body(Map.of("asOf", ChurnHistories.FIXTURE_AS_OF)).post("/v1/admin/churn-models");
        });
        cases.put("GET /v1/admin/churn-models", () -> {
            ChurnHistories.trainedModel();
            return contract().queryParam("limit", 1).get("/v1/admin/churn-models");
        });
        cases.put("GET /v1/admin/churn-models/{version}", () -> {
            ChurnHistories.trainedModel();
            Object version = LedgerApi.given().get("/v1/admin/churn-models").then().statusCode(200).extract().path("items[0].version");
            return contract().get("/v1/admin/churn-models/{version}", version.toString());
        });
        cases.put("POST /v1/admin/churn-models/evaluations", () -> {
            ChurnHistories.trainedModel();
            return contract().contentType(ContentType.JSON).body(Map.of("cutoff", ChurnHistories.FIXTURE_CUTOFF))
                    .post("/v1/admin/churn-models/evaluations");
        });
    }

    private static void addReportCases(Map<String, Supplier<Response>> cases) {
        cases.put("GET /v1/admin/reports/earn-burn", () -> {
            LedgerApi.earnForAmount(LedgerApi.enroll(), unique("report-earn"), 12_000).then().statusCode(201);
            return contract().get("/v1/admin/reports/earn-burn");
        });
        cases.put("GET /v1/admin/reports/liability", () -> contract().get("/v1/admin/reports/liability"));
        cases.put("GET /v1/admin/reports/breakage", () -> contract().get("/v1/admin/reports/breakage"));
        cases.put("GET /v1/admin/reports/sales", () -> {
            LedgerApi.earn(LedgerApi.enroll(), unique("report-sale"), Map.of("orderId", unique("order"), "channel", "POS",
                    "amount", Map.of("value", 30_000, "currency", "USD"),
                    "items", List.of(Map.of("sku", "SKU-1", "category", "shoes", "quantity", 1, "unitPrice", 30_000)))).then().statusCode(201);
            return contract().queryParam("by", "PRODUCT").get("/v1/admin/reports/sales");
        });
        cases.put("GET /v1/admin/reports/members", () -> contract().queryParam("repurchaseDays", 14).get("/v1/admin/reports/members"));
    }

    private static void addSurveyCases(Map<String, Supplier<Response>> cases) {
        cases.put("POST /v1/admin/surveys", () -> contract().contentType(ContentType.JSON)
                .body(example("POST", "/v1/admin/surveys")).post("/v1/admin/surveys"));
        cases.put("GET /v1/admin/surveys", () -> {
            Surveys.forMembersOf(Surveys.region());
            return contract().queryParam("limit", 1).get("/v1/admin/surveys");
        });
        cases.put("GET /v1/admin/surveys/{surveyId}", () -> contract().get("/v1/admin/surveys/{surveyId}", Surveys.forMembersOf(Surveys.region())));
        cases.put("POST /v1/admin/surveys/{surveyId}/close", () -> contract().post("/v1/admin/surveys/{surveyId}/close",
                Surveys.forMembersOf(Surveys.region())));
        cases.put("POST /v1/admin/surveys/{surveyId}/invitations", () -> contract().contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(example("POST", "/v1/admin/surveys/{surveyId}/invitations"))
                .post("/v1/admin/surveys/{surveyId}/invitations", Surveys.forMembersOf(Surveys.region())));
        cases.put("GET /v1/admin/surveys/{surveyId}/report", () -> {
            String region = Surveys.region();
            String surveyId = Surveys.forMembersOf(region);
            Surveys.answered(surveyId, region);
            return contract().queryParam("from", OffsetDateTime.now().minusDays(1).toString())
                    .queryParam("to", OffsetDateTime.now().plusDays(1).toString()).get("/v1/admin/surveys/{surveyId}/report", surveyId);
        });
        cases.put("GET /v1/admin/surveys/{surveyId}/text-answers", () -> {
            String region = Surveys.region();
            String surveyId = Surveys.forMembersOf(region);
            Surveys.answered(surveyId, region);
            return contract().queryParam("question", "comment").get("/v1/admin/surveys/{surveyId}/text-answers", surveyId);
        });
        cases.put("POST /v1/members/{memberId}/survey-responses", () -> {
            String region = Surveys.region();
            return contract().contentType(ContentType.JSON)
                    .body(Map.of("surveyId", Surveys.forMembersOf(region), "answers", Map.of("overall", 5, "comment", "Good")))
                    .post("/v1/members/{memberId}/survey-responses", Surveys.memberOf(region));
        });
    }

    private static void addReservationCases(Map<String, Supplier<Response>> cases) {
        cases.put("POST /v1/admin/bookables", () -> contract().contentType(ContentType.JSON)
                .body(example("POST", "/v1/admin/bookables")).post("/v1/admin/bookables"));
        cases.put("GET /v1/admin/bookables", () -> {
            Reservations.bookable(1);
            return contract().queryParam("limit", 1).get("/v1/admin/bookables");
        });
        cases.put("GET /v1/admin/bookables/{bookableId}", () -> contract().get("/v1/admin/bookables/{bookableId}",
                Reservations.bookable(1)));
        cases.put("GET /v1/bookables/{bookableId}/availability", () -> contract().get("/v1/bookables/{bookableId}/availability",
                Reservations.bookable(2)));
        cases.put("POST /v1/members/{memberId}/reservations", () -> {
            String bookableId = Reservations.bookable(1);
            return contract().contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, unique("book"))
                    .body(Map.of("bookableId", bookableId, "startsAt", Reservations.slotAfter(bookableId, OffsetDateTime.now().plusHours(3))))
                    .post("/v1/members/{memberId}/reservations", LedgerApi.enroll());
        });
        cases.put("GET /v1/members/{memberId}/reservations", () -> {
            UUID memberId = LedgerApi.enroll();
            String bookableId = Reservations.bookable(1);
            Reservations.book(memberId, bookableId, Reservations.slotAfter(bookableId, OffsetDateTime.now().plusHours(3)));
            return contract().queryParam("limit", 1).get("/v1/members/{memberId}/reservations", memberId);
        });
        cases.put("GET /v1/members/{memberId}/reservations/{reservationId}", () -> {
            UUID memberId = LedgerApi.enroll();
            String bookableId = Reservations.bookable(1);
            String reservationId = Reservations.book(memberId, bookableId,
                    Reservations.slotAfter(bookableId, OffsetDateTime.now().plusHours(3)));
            return contract().get("/v1/members/{memberId}/reservations/{reservationId}", memberId, reservationId);
        });
        cases.put("POST /v1/members/{memberId}/reservations/{reservationId}/change", () -> {
            UUID memberId = LedgerApi.enroll();
            String bookableId = Reservations.bookable(1);
            String first = Reservations.slotAfter(bookableId, OffsetDateTime.now().plusHours(3));
            String reservationId = Reservations.book(memberId, bookableId, first);
            return contract().contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, unique("change"))
                    .body(Map.of("startsAt", Reservations.slotAfter(bookableId, OffsetDateTime.parse(first))))
                    .post("/v1/members/{memberId}/reservations/{reservationId}/change", memberId, reservationId);
        });
        cases.put("POST /v1/members/{memberId}/reservations/{reservationId}/cancellation", () -> {
            UUID memberId = LedgerApi.enroll();
            String bookableId = Reservations.bookable(1);
            String reservationId = Reservations.book(memberId, bookableId,
                    Reservations.slotAfter(bookableId, OffsetDateTime.now().plusHours(3)));
            return contract().header(IdempotencyHeaders.KEY, unique("cancel"))
                    .post("/v1/members/{memberId}/reservations/{reservationId}/cancellation", memberId, reservationId);
        });
        cases.put("POST /v1/admin/reservations/{reservationId}/attendance", () -> contract().contentType(ContentType.JSON)
                .body(Map.of("outcome", "ATTENDED")).post("/v1/admin/reservations/{reservationId}/attendance", Reservations.bookedForNow()));
    }

    /** A measured member with a purchase, so that every attribute of the answers has a value to check. */
    private static void addSegmentCases(Map<String, Supplier<Response>> cases) {
        cases.put("POST /v1/admin/segments", () -> contract().contentType(ContentType.JSON)
                .body(Map.of("name", unique("segment"), "description", "Members in their twenties in Seoul",
                        "rule", "region = 'Seoul' AND age 20-29")).post("/v1/admin/segments"));
        cases.put("GET /v1/admin/segments", () -> {
            Segments.saved("R >= 4");
            return contract().queryParam("limit", 1).get("/v1/admin/segments");
        });
        cases.put("GET /v1/admin/segments/{segmentId}", () -> contract().get("/v1/admin/segments/{segmentId}", Segments.saved("F >= 1")));
        cases.put("PUT /v1/admin/segments/{segmentId}", () -> contract().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(Map.of("name", unique("segment"), "rule", "churnRisk >= 0.7")).put("/v1/admin/segments/{segmentId}",
                        Segments.saved("F >= 1")));
        cases.put("GET /v1/admin/segments/{segmentId}/members", () -> {
            String region = unique("region");
            measuredMember(region);
            return contract().get("/v1/admin/segments/{segmentId}/members", Segments.saved("region = '" + region + "'"));
        });
        cases.put("GET /v1/members/{memberId}/segment-attributes", () -> contract().get("/v1/members/{memberId}/segment-attributes",
                measuredMember(unique("region"))));
        cases.put("POST /v1/admin/segment-attribute-runs", () -> {
            Segments.awaitNoOpenRun();
            Response started = contract().post("/v1/admin/segment-attribute-runs");
            Segments.awaitNoOpenRun(); // it measures in the background: none outlives the case
            return started;
        });
        cases.put("GET /v1/admin/segment-attribute-runs", () -> {
            measuredMember(unique("region"));
            return contract().queryParam("limit", 1).get("/v1/admin/segment-attribute-runs");
        });
        cases.put("GET /v1/admin/segment-attribute-runs/{runId}", () -> {
            measuredMember(unique("region"));
            Object runId = LedgerApi.given().get("/v1/admin/segment-attribute-runs").then().statusCode(200).extract().path("items[0].runId");
            return contract().get("/v1/admin/segment-attribute-runs/{runId}", runId);
        });
    }

    /** A member with a birth date, a region and a purchase, measured by a run that finished. */
    private static UUID measuredMember(String region) {
        String enrolled = LedgerApi.given().contentType(ContentType.JSON).body(Map.of("name", "Contract Member", "channel", "ONLINE",
                "birthDate", "1990-04-01", "region", region)).post("/v1/members").then().statusCode(201)
                .extract().path("memberId");
        LedgerApi.earnForAmount(UUID.fromString(enrolled), unique("earn"), 5_000).then().statusCode(201);
        Segments.awaitNoOpenRun();
        LedgerApi.given().post("/v1/admin/segment-attribute-runs").then().statusCode(202);
        Segments.awaitNoOpenRun();
        return UUID.fromString(enrolled);
    }

    private static void addCauseCases(Map<String, Supplier<Response>> cases) {
        cases.put("POST /v1/admin/causes", () -> contract().contentType(ContentType.JSON)
                .body(example("POST", "/v1/admin/causes")).post("/v1/admin/causes"));
        cases.put("GET /v1/admin/causes", () -> {
            contractCause();
            return contract().queryParam("limit", 2).get("/v1/admin/causes");
        });
        cases.put("GET /v1/admin/causes/{causeId}", () -> contract().get("/v1/admin/causes/{causeId}", contractCause()));
        cases.put("POST /v1/admin/causes/{causeId}/matching-budget", () -> contract().contentType(ContentType.JSON)
                .header("If-Match", "\"1\"")
                .body(example("POST", "/v1/admin/causes/{causeId}/matching-budget"))
                .post("/v1/admin/causes/{causeId}/matching-budget", contractCause()));
        cases.put("POST /v1/admin/causes/{causeId}/close", () -> contract().post("/v1/admin/causes/{causeId}/close", contractCause()));
        cases.put("GET /v1/admin/causes/{causeId}/statement", () -> {
            String causeId = contractCause();
            LedgerApi.given().contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, unique("donate"))
                    .body(Map.of("causeId", causeId, "points", 500, "channel", "ONLINE"))
                    .post("/v1/members/{memberId}/donations", LedgerApi.enrollWithPoints(1_000)).then().statusCode(201);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            return contract().queryParam("from", now.minusDays(1).toString()).queryParam("to", now.plusDays(1).toString())
                    .get("/v1/admin/causes/{causeId}/statement", causeId);
        });
        cases.put("GET /v1/causes", () -> {
            contractCause();
            return contract().queryParam("limit", 2).get("/v1/causes");
        });
        cases.put("POST /v1/members/{memberId}/donations", () -> contract().contentType(ContentType.JSON)
                .header(IdempotencyHeaders.KEY, unique("donate"))
                .body(example("POST", "/v1/members/{memberId}/donations").put("causeId", contractCause()))
                .post("/v1/members/{memberId}/donations", LedgerApi.enrollWithPoints(1_000)));
    }

    private static String contractCause() {
        return LedgerApi.given().contentType(ContentType.JSON).body(Map.of("name", "Contract appeal",
                "matching", Map.of("rateBasisPoints", 1000, "budgetPoints", 1000)))
                .post("/v1/admin/causes").then().statusCode(201).extract().path("causeId");
    }

    private static String endedOffer() {
        String offerId = LedgerApi.given().contentType(ContentType.JSON)
                .body(Map.of("name", "Contract", "kind", "LIMITED_PRODUCT", "sku", "SKU-CONTRACT", "eligibility",
                        Map.of("tiers", List.of("GOLD")))).post("/v1/admin/offers").then().statusCode(201).extract().path("offerId");
        LedgerApi.given().post("/v1/admin/offers/{offerId}/end", offerId).then().statusCode(200);
        return offerId;
    }

    /** Each checkout case on a code of its own, from the documented examples (the basket's member filled in). */
    private static void addCouponCases(Map<String, Supplier<Response>> cases) {
        cases.put("POST /v1/admin/coupon-definitions", () -> contract().contentType(ContentType.JSON)
                .body(example("POST", "/v1/admin/coupon-definitions")).post("/v1/admin/coupon-definitions"));
        cases.put("GET /v1/admin/coupon-definitions", () -> {
            couponDefinition(Map.of("name", "Contract", "kind", "POINTS", "points", 5));
            return contract().queryParam("limit", 2).get("/v1/admin/coupon-definitions");
        });
        cases.put("GET /v1/admin/coupon-definitions/{definitionId}", () -> contract().get(
                "/v1/admin/coupon-definitions/{definitionId}", couponDefinition(Map.of("name", "Contract", "kind", "FREE_ITEM", "sku", "SKU-CONTRACT"))));
        cases.put("POST /v1/admin/coupon-definitions/{definitionId}/coupons", () -> contract().contentType(ContentType.JSON)
                .body(example("POST", "/v1/admin/coupon-definitions/{definitionId}/coupons").put("memberId",
                        LedgerApi.enroll().toString()))
                .post("/v1/admin/coupon-definitions/{definitionId}/coupons", percentOff()));
        cases.put("POST /v1/admin/coupon-definitions/{definitionId}/batches", () -> contract().contentType(ContentType.JSON)
                .body(Map.of("count", 3)).post("/v1/admin/coupon-definitions/{definitionId}/batches", percentOff()));
        cases.put("GET /v1/admin/coupon-batches/{batchId}", () -> contract().get("/v1/admin/coupon-batches/{batchId}",
                couponBatch()));
        cases.put("GET /v1/admin/coupon-batches/{batchId}/coupons", () -> {
            String batchId = couponBatch();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> "DONE".equals(LedgerApi
                    .given().get("/v1/admin/coupon-batches/{batchId}", batchId).then().extract().path("status")));
            return contract().get("/v1/admin/coupon-batches/{batchId}/coupons", batchId);
        });
        cases.put("GET /v1/members/{memberId}/coupons", () -> {
            UUID memberId = LedgerApi.enroll();
            couponCode(percentOff(), memberId);
            return contract().get("/v1/members/{memberId}/coupons", memberId);
        });
        cases.put("POST /v1/coupons/{code}/validate", () -> checkout("validate", null));
        cases.put("POST /v1/coupons/{code}/redeem", () -> checkout("redeem", unique("redeem")));
        cases.put("POST /v1/coupons/{code}/hold", () -> {
            UUID memberId = LedgerApi.enroll();
            return contract().contentType(ContentType.JSON).body(Map.of("memberId", memberId.toString(), "orderId", "contract"))
                    .post("/v1/coupons/{code}/hold", couponCode(percentOff(), memberId));
        });
        cases.put("POST /v1/coupons/{code}/release", () -> {
            UUID memberId = LedgerApi.enroll();
            String code = couponCode(percentOff(), memberId);
            Map<String, Object> checkout = Map.of("memberId", memberId.toString(), "orderId", "contract");
            LedgerApi.given().contentType(ContentType.JSON).body(checkout).post("/v1/coupons/{code}/hold", code)
                    .then().statusCode(200);
            return contract().contentType(ContentType.JSON).body(checkout).post("/v1/coupons/{code}/release", code);
        });
    }

    private static Response checkout(String action, String idempotencyKey) {
        UUID memberId = LedgerApi.enroll();
        String code = couponCode(percentOff(), memberId);
        var request = contract().contentType(ContentType.JSON)
                .body(example("POST", "/v1/coupons/{code}/" + action).put("memberId", memberId.toString()));
        if (idempotencyKey != null) {
            request.header(IdempotencyHeaders.KEY, idempotencyKey);
        }
        return request.post("/v1/coupons/{code}/" + action, code);
    }

    private static String percentOff() {
        return couponDefinition(Map.of("name", "Contract", "kind", "PERCENT_OFF", "percentOffBasisPoints", 2_000));
    }

    private static String couponDefinition(Map<String, Object> definition) {
        return LedgerApi.given().contentType(ContentType.JSON).body(definition).post("/v1/admin/coupon-definitions")
                .then().statusCode(201).extract().path("definitionId");
    }

    private static String couponCode(String definitionId, UUID memberId) {
        return LedgerApi.given().contentType(ContentType.JSON).body(Map.of("memberId", memberId.toString()))
                .post("/v1/admin/coupon-definitions/{definitionId}/coupons", definitionId)
                .then().statusCode(201).extract().path("code");
    }

    private static String couponBatch() {
        return LedgerApi.given().contentType(ContentType.JSON).body(Map.of("count", 2))
                .post("/v1/admin/coupon-definitions/{definitionId}/batches", percentOff())
                .then().statusCode(202).extract().path("batchId");
    }

    /** A draft on a SKU of its own, so that it applies to no other test's purchase. */
    private static String draftCampaign() {
        return LedgerApi.given().contentType(ContentType.JSON)
                .body(Map.of("name", "Contract", "trigger", "PURCHASE", "priority", 1,
                        "conditions", Map.of("skus", List.of(unique("SKU-CONTRACT"))), "effect", Map.of("bonusPoints", 5)))
                .post("/v1/admin/campaigns").then().statusCode(201).extract().path("campaignId");
    }

    private static Response endedAfter(String campaignId, Function<String, Response> call) {
        Response answer = call.apply(campaignId);
        LedgerApi.given().post("/v1/admin/campaigns/{campaignId}/end", campaignId).then().statusCode(200);
        return answer;
    }

    // ---------------------------------------------------------------------------------------------
    // Answers with null fields, beyond those the cases above already meet.
    // ---------------------------------------------------------------------------------------------

    /** Narrowed to a segment, the members report leaves the lifetime value out (null), as documented. */
    @Test
    void shouldDescribeReportsNarrowedToASegment() {
        String segmentId = Segments.saved("F >= 1");
        contract().queryParam("segmentId", segmentId).get("/v1/admin/reports/members").then().statusCode(200)
                .body("segmentId", equalTo(segmentId)).body("months[0].cohortPurchases", nullValue());
        contract().queryParam("segmentId", segmentId).get("/v1/admin/reports/liability").then().statusCode(200)
                .body("segmentId", equalTo(segmentId)).body("notYetAttributedPoints", nullValue());
        contract().queryParam("segmentId", segmentId).queryParam("by", "CUSTOMER").get("/v1/admin/reports/sales").then().statusCode(200)
                .body("segmentId", equalTo(segmentId));
    }

    @Test
    void shouldDescribeAnErasedMember() {
        UUID memberId = enroll(Map.of("name", "To Erase", "email", unique("erase") + "@example.com",
                "phone", uniquePhone(), "birthDate", "1985-02-03", "channel", "ONLINE"));
        LedgerApi.given().delete("/v1/members/{memberId}", memberId).then().statusCode(204);

        contract().get("/v1/members/{memberId}", memberId).then().statusCode(200)
                .body("name", nullValue())
                .body("erasedAt", notNullValue());
    }

    @Test
    void shouldDescribeAMemberSeenAndLookedUpWithoutThePiiScope() {
        UUID memberId = enroll(Map.of("externalId", unique("till"), "name", "Seen Without Pii", "phone", uniquePhone(),
                "birthDate", "1985-02-03", "channel", "OFFLINE"));
        Partners.TestPartner reader = Partners.create(100, "read");

        answersOnly(reader.apiKey()).get("/v1/members/{memberId}", memberId).then().statusCode(200)
                .body("externalId", nullValue())
                .body("name", nullValue())
                .body("phone", nullValue());
        assertProblem("POST", "/v1/members/lookups", 403, "FORBIDDEN_SCOPE", answersOnly(reader.apiKey())
                .contentType(ContentType.JSON).body(example("POST", "/v1/members/lookups")).post("/v1/members/lookups"));
    }

    @Test
    void shouldDescribeHistoryWithAndWithoutRelatedTransactionsAmountsAndOrders() {
        UUID memberId = LedgerApi.enroll();
        String earned = earnedTransaction(memberId, 1_000);
        Holds.reverse(earned, unique("reverse"), 100L).then().statusCode(201);
        LedgerApi.given().contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, unique("adjust"))
                .body(Map.of("points", 5, "reason", "goodwill"))
                .post("/v1/admin/members/{memberId}/adjustments", memberId).then().statusCode(201);
        String holdId = Holds.holdId(memberId, 50);
        Holds.capture(holdId, unique("capture"), null).then().statusCode(200);

        contract().get("/v1/members/{memberId}/transactions", memberId).then().statusCode(200)
                .body("items.size()", equalTo(5))
                .body("nextCursor", nullValue());
        contract().get("/v1/transactions/{transactionId}", earned).then().statusCode(200)
                .body("reversals.size()", equalTo(1));
        contract().get("/v1/holds/{holdId}", holdId).then().statusCode(200)
                .body("status", equalTo("CAPTURED"));
    }

    @Test
    void shouldDescribeAReversalReceiptAndAReplayedWrite() {
        String earned = earnedTransaction(LedgerApi.enroll(), 1_000);
        String key = unique("reverse");
        ObjectNode body = example("POST", "/v1/transactions/{transactionId}/reverse");
        Response original = contract().contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, key).body(body)
                .post("/v1/transactions/{transactionId}/reverse", earned);
        Response replay = contract().contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, key).body(body)
                .post("/v1/transactions/{transactionId}/reverse", earned);

        original.then().statusCode(201).body("relatedTransactionId", equalTo(earned));
        assertEquals(original.asString(), replay.asString());
        assertEquals("true", replay.getHeader(IdempotencyHeaders.REPLAYED));
    }

    @Test
    void shouldDescribeARevokedKeyAndTheLastPages() {
        Partners.TestPartner partner = Partners.create(100, "read");
        LedgerApi.given().delete("/v1/admin/partners/{partnerId}/keys/{keyId}", partner.partnerId(), partner.keyId())
                .then().statusCode(204);

        contract().get("/v1/admin/partners/{partnerId}", partner.partnerId()).then().statusCode(200)
                .body("keys[0].revokedAt", notNullValue());
        contract().queryParam("limit", 500).get("/v1/admin/audit").then().statusCode(200);
    }

    // ---------------------------------------------------------------------------------------------
    // Problem answers: checked against the document, and their code must be one the document lists
    // for that operation and status.
    // ---------------------------------------------------------------------------------------------

    @Test
    void shouldDocumentNotFoundAnswers() {
        assertProblem("GET", "/v1/members/{memberId}", 404, "MEMBER_NOT_FOUND",
                answersOnly().get("/v1/members/{memberId}", UUID.randomUUID()));
        assertProblem("GET", "/v1/members/{memberId}", 404, "NOT_FOUND",
                answersOnly().get("/v1/members/{memberId}", "not-a-member-id"));
        assertProblem("GET", "/v1/holds/{holdId}", 404, "HOLD_NOT_FOUND",
                answersOnly().get("/v1/holds/{holdId}", UUID.randomUUID()));
        assertProblem("POST", "/v1/transactions/{transactionId}/reverse", 404, "TRANSFER_NOT_FOUND",
                answersOnly().contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, unique("reverse"))
                        .body(example("POST", "/v1/transactions/{transactionId}/reverse"))
                        .post("/v1/transactions/{transactionId}/reverse", UUID.randomUUID()));
        assertProblem("GET", "/v1/admin/partners/{partnerId}", 404, "PARTNER_NOT_FOUND",
                answersOnly().get("/v1/admin/partners/{partnerId}", UUID.randomUUID()));
    }

    @Test
    void shouldDocumentRefusedInput() {
        assertProblem("POST", "/v1/members", 400, "VALIDATION_FAILED", answersOnly().contentType(ContentType.JSON)
                .body(Map.of("name", "Bad Phone", "phone", "12345", "channel", "ONLINE")).post("/v1/members"));
        assertProblem("POST", "/v1/members", 400, "MALFORMED_REQUEST", answersOnly().contentType(ContentType.JSON)
                .body("{\"name\": ").post("/v1/members"));
        assertProblem("POST", "/v1/members/{memberId}/earn", 415, "UNSUPPORTED_MEDIA_TYPE", answersOnly()
                .contentType(ContentType.TEXT).header(IdempotencyHeaders.KEY, unique("earn")).body("points")
                .post("/v1/members/{memberId}/earn", LedgerApi.enroll()));
        assertProblem("POST", "/v1/members/{memberId}/earn", 413, "REQUEST_TOO_LARGE", answersOnly()
                .contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, unique("earn"))
                .body("{\"orderId\": \"" + "x".repeat(70_000) + "\"}")
                .post("/v1/members/{memberId}/earn", LedgerApi.enroll()));
        assertProblem("POST", "/v1/members/lookups", 400, "VALIDATION_FAILED", answersOnly().contentType(ContentType.JSON)
                .body(Map.of("email", "a@example.com", "phone", "+821012345678")).post("/v1/members/lookups"));
        assertProblem("GET", "/v1/admin/settlement", 400, "VALIDATION_FAILED", answersOnly()
                .queryParam("from", "2025-01-01T00:00:00Z").queryParam("to", "2026-06-01T00:00:00Z").get("/v1/admin/settlement"));
        assertProblem("GET", "/v1/members/{memberId}/transactions", 400, "VALIDATION_FAILED", answersOnly()
                .queryParam("limit", 501).get("/v1/members/{memberId}/transactions", LedgerApi.enroll()));
    }

    @Test
    void shouldDocumentIdempotencyRefusals() {
        UUID memberId = LedgerApi.enrollWithPoints(1_000);
        assertProblem("POST", "/v1/members/{memberId}/redeem", 400, "IDEMPOTENCY_KEY_REQUIRED", answersOnly()
                .contentType(ContentType.JSON).body(example("POST", "/v1/members/{memberId}/redeem"))
                .post("/v1/members/{memberId}/redeem", memberId));
        String key = unique("redeem");
        LedgerApi.redeem(memberId, key, 10).then().statusCode(201);
        assertProblem("POST", "/v1/members/{memberId}/redeem", 422, "IDEMPOTENCY_KEY_REUSED", answersOnly()
                .contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, key)
                .body(example("POST", "/v1/members/{memberId}/redeem"))
                .post("/v1/members/{memberId}/redeem", memberId));
    }

    @Test
    void shouldDocumentConflicts() {
        UUID memberId = LedgerApi.enrollWithPoints(100);
        assertProblem("POST", "/v1/members/{memberId}/redeem", 409, "INSUFFICIENT_POINTS", answersOnly()
                .contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, unique("redeem"))
                .body(example("POST", "/v1/members/{memberId}/redeem"))
                .post("/v1/members/{memberId}/redeem", memberId));
        String holdId = Holds.holdId(memberId, 50);
        Holds.voidHold(holdId, unique("void")).then().statusCode(200);
        assertProblem("POST", "/v1/holds/{holdId}/capture", 409, "HOLD_NOT_PENDING", answersOnly()
                .header(IdempotencyHeaders.KEY, unique("capture")).post("/v1/holds/{holdId}/capture", holdId));
        String externalId = unique("till");
        enroll(Map.of("externalId", externalId, "name", "First", "channel", "ONLINE"));
        assertProblem("POST", "/v1/members", 409, "MEMBER_ALREADY_EXISTS", answersOnly().contentType(ContentType.JSON)
                .body(Map.of("externalId", externalId, "name", "Second", "channel", "ONLINE")).post("/v1/members"));
    }

    @Test
    void shouldDocumentAuthenticationAuthorizationAndRateLimits() {
        Response anonymous = RestAssured.given().filter(new OpenApiValidationFilter(answersOnly))
                .get("/v1/members/{memberId}/balance", UUID.randomUUID());
        assertProblem("GET", "/v1/members/{memberId}/balance", 401, "UNAUTHENTICATED", anonymous);
        assertNotNull(anonymous.getHeader("WWW-Authenticate"));

        Partners.TestPartner reader = Partners.create(1, "read");
        assertProblem("POST", "/v1/members/{memberId}/earn", 403, "FORBIDDEN_SCOPE", answersOnly(reader.apiKey())
                .contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, unique("earn"))
                .body(example("POST", "/v1/members/{memberId}/earn")).post("/v1/members/{memberId}/earn", LedgerApi.enroll()));

        // One request a second: a burst meets the limit.
        UUID memberId = LedgerApi.enroll();
        Response limited = null;
        for (int attempt = 0; attempt < 20 && limited == null; attempt++) {
            Response response = answersOnly(reader.apiKey()).get("/v1/members/{memberId}/balance", memberId);
            if (response.statusCode() == 429) {
                limited = response;
            }
        }
        assertNotNull(limited, "20 requests in a burst never met a limit of one a second");
        assertProblem("GET", "/v1/members/{memberId}/balance", 429, "RATE_LIMITED", limited);
        assertNotNull(limited.getHeader("Retry-After"));
    }

    // ---------------------------------------------------------------------------------------------

    /** An operator request whose request and answer are both checked against the document. */
    private static RequestSpecification contract() {
        document();
        return RestAssured.given().filter(new OpenApiValidationFilter(requestsAndAnswers))
                .header("Authorization", "Bearer " + ADMIN_KEY);
    }

    private static RequestSpecification answersOnly() {
        return answersOnly(ADMIN_KEY);
    }

    private static RequestSpecification answersOnly(String apiKey) {
        document();
        return RestAssured.given().filter(new OpenApiValidationFilter(answersOnly)).header("Authorization", "Bearer " + apiKey);
    }

    /** The operation's example body sent as a new write (a fresh Idempotency-Key) on {@code target}. */
    private static Response write(String pathTemplate, Object target) {
        return contract().contentType(ContentType.JSON).header(IdempotencyHeaders.KEY, unique("write"))
                .body(example("POST", pathTemplate))
                .post(pathTemplate, target);
    }

    private static void assertProblem(String method, String pathTemplate, int status, String code, Response response) {
        String operation = method + " " + pathTemplate;
        assertEquals(status, response.statusCode(), operation + ": " + response.asString());
        assertEquals(code, response.path("code"), operation);
        JsonNode documented = operation(method, pathTemplate)
                .at("/responses/" + status + "/content/application~1problem+json/examples");
        assertTrue(documented.has(code), operation + " " + status + " does not document " + code + ": " + documented);
    }

    private static void assertAnswerFits(String operation, SimpleResponse answer) {
        String[] methodAndPath = operation.split(" ", 2);
        ValidationReport report = requestsAndAnswers.validateResponse(methodAndPath[1],
                Request.Method.valueOf(methodAndPath[0]), answer);
        assertFalse(report.hasErrors(), operation + " " + answer.getStatus() + ": the example does not fit: " + report.getMessages());
    }

    /** An answer as documented, with a plausible value for each header it must carry. */
    private static SimpleResponse.Builder answerWithRequiredHeaders(int status, JsonNode documented) {
        Map<String, String> plausible = Map.of("Location", "/v1/members/3f6c1a2e-8d4b-4f7a-9c1e-2b5d6a7e8f90",
                "Retry-After", "1", "ETag", "\"1\"");
        SimpleResponse.Builder answer = SimpleResponse.Builder.status(status);
        documented.path("headers").fields().forEachRemaining(header -> {
            if (header.getValue().path("required").asBoolean()) {
                answer.withHeader(header.getKey(), plausible.get(header.getKey()));
            }
        });
        return answer;
    }

    /** The documented success status: the operation's only 2xx answer. */
    private static int documentedSuccess(JsonNode operation) {
        List<Integer> successes = new ArrayList<>();
        operation.path("responses").fieldNames().forEachRemaining(status -> {
            if (status.startsWith("2")) {
                successes.add(Integer.parseInt(status));
            }
        });
        assertEquals(1, successes.size(), "one success answer per operation");
        return successes.get(0);
    }

    /** Calls {@code visitor} with "METHOD /path" and the operation, for every operation of the document. */
    private static void forEachOperation(BiConsumer<String, JsonNode> visitor) {
        Iterator<Map.Entry<String, JsonNode>> paths = document().path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(method -> {
                if (METHODS.contains(method.getKey())) {
                    visitor.accept(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), method.getValue());
                }
            });
        }
    }

    private static JsonNode operation(String method, String pathTemplate) {
        JsonNode operation = document().path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
        assertFalse(operation.isMissingNode(), method + " " + pathTemplate + " is not documented");
        return operation;
    }

    /** A copy of the operation's documented example request body, for a case to adjust. */
    private static ObjectNode example(String method, String pathTemplate) {
        JsonNode schema = operation(method, pathTemplate).at("/requestBody/content/application~1json/schema");
        return (ObjectNode) example(schema).deepCopy();
    }

    /** The example of a schema, following references and, for an array, its items. */
    private static JsonNode example(JsonNode schema) {
        if (schema.has("$ref")) {
            return example(resolve(schema));
        }
        if (schema.has("example")) {
            return schema.get("example");
        }
        if ("array".equals(schema.path("type").asText())) {
            JsonNode item = example(schema.path("items"));
            return item.isMissingNode() ? item : JSON.createArrayNode().add(item);
        }
        return schema.path("example");
    }

    /** What a {@code $ref} object of the document refers to; anything else as it is. */
    private static JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document().at(node.get("$ref").asText().substring(1)) : node;
    }

    private static UUID enroll(Map<String, Object> body) {
        return UUID.fromString(LedgerApi.given().contentType(ContentType.JSON).body(body).post("/v1/members")
                .then().statusCode(201).extract().path("memberId"));
    }

    private static String earnedTransaction(UUID memberId, long points) {
        return LedgerApi.earnPoints(memberId, unique("earn"), points).then().statusCode(201).extract().path("transactionId");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** A Korean mobile number no other test is likely to have enrolled. */
    private static String uniquePhone() {
        return "+8210" + (10_000_000 + ThreadLocalRandom.current().nextInt(90_000_000));
    }
}
