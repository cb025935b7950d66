package io.pointsledger.platform;

import static io.pointsledger.support.LedgerApi.given;
import static io.pointsledger.support.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.Holds;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on every endpoint other than earn and redeem (those are {@code BadInputTest}'s): each
 * row gets its problem, names its field, shows nothing internal and changes nothing. The last
 * tests walk the OpenAPI document, so an endpoint added later is covered without a new row.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputOnEveryEndpointTest {

    private static final String MEMBER = "{member}";
    private static final String HOLD = "{hold}";
    private static final String TRANSACTION = "{transaction}";
    private static final String PARTNER = "{partner}";
    private static final String KEY = "{key}";
    private static final String CAMPAIGN = "{campaign}";
    private static final String DEFINITION = "{definition}";
    private static final String BATCH = "{batch}";
    private static final String CODE = "{code}";
    private static final String WEBHOOK = "{webhook}";
    private static final String REWARD = "{reward}";
    private static final String CLAIM = "{claim}";
    private static final String CAUSE = "{cause}";
    /** A cause's statement, but for what a row changes in the period. */
    private static final String STATEMENT = "/v1/admin/causes/" + CAUSE + "/statement";
    private static final String WEBHOOKS = "/v1/admin/partners/{partner}/webhooks";
    private static final String ANNOUNCEMENTS = "/v1/admin/announcements";
    private static final String SEGMENTS = "/v1/admin/segments";
    /** A valid survey but for its closing brace. */
    private static final String SURVEY_START = "{\"name\":\"s\",\"trigger\":\"PURCHASE\","
            + "\"questions\":[{\"id\":\"q\",\"kind\":\"RATING\",\"text\":\"How?\"}]";
    /** A valid bookable but for its closing brace. */
    private static final String BOOKABLE_START = "{\"store\":\"S\",\"service\":\"Fitting\",\"capacity\":2,\"slotMinutes\":30,"
            + "\"openingHours\":[{\"day\":\"MONDAY\",\"opens\":\"10:00\",\"closes\":\"12:00\"}]";
    /** A valid announcement but for what a row changes in it. */
    private static final String ANNOUNCEMENT_BODY = "{\"defaultLanguage\":\"en\",\"importance\":\"NORMAL\","
            + "\"contents\":{\"en\":{\"title\":\"Sale\",\"body\":\"Today\"}}}";
    private static final String VALID_BASKET_START = "{\"memberId\":\"" + MEMBER + "\",\"orderId\":\"o\",";
    private static final String VALID_CAMPAIGN_START = "{\"name\":\"c\",\"trigger\":\"PURCHASE\",\"priority\":1,";
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");
    /** The longest a hold may last, so that no expiry job resolves the fixture hold mid-test. */
    private static final long HOLD_LIFETIME_SECONDS = 604_800L;

    private static final String VALID_EARN = "{\"orderId\":\"o\",\"amount\":{\"value\":1000,\"currency\":\"USD\"},\"channel\":\"POS\"}";
    private static final String VALID_HOLD = "{\"points\":1,\"orderId\":\"o\",\"channel\":\"POS\"}";

    @Inject
    Pool pool;

    /** What the rows act on: a member with 100 points, 10 of them held, and a partner with a key. */
    private record Fixtures(UUID memberId, String holdId, String transactionId, String partnerId, String keyId,
            String campaignId, String definitionId, String batchId, String couponCode, String webhookId, String rewardId,
            String claimId, String causeId) {

        String fill(String path) {
            return path.replace(MEMBER, memberId.toString()).replace(HOLD, holdId).replace(TRANSACTION, transactionId)
                    .replace(PARTNER, partnerId).replace(KEY, keyId).replace(CAMPAIGN, campaignId)
                    .replace(DEFINITION, definitionId).replace(BATCH, batchId).replace(CODE, couponCode)
                    .replace(WEBHOOK, webhookId).replace(REWARD, rewardId).replace(CLAIM, claimId).replace(CAUSE, causeId);
        }

        /** A valid value for a path parameter, by its name in the OpenAPI document. */
        String valueOf(String parameter) {
            return switch (parameter) {
                case "memberId" -> memberId.toString();
                case "holdId" -> holdId;
                case "transactionId" -> transactionId;
                case "partnerId" -> partnerId;
                case "keyId" -> keyId;
                case "campaignId" -> campaignId;
                case "definitionId" -> definitionId;
                case "batchId" -> batchId;
                case "code" -> couponCode;
                case "offerId" -> "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b";
                // An unsubscribe link's token: its operation has no query parameter and no body, and
                // a valid one would change a consent; this one is only well-formed text.
                case "token" -> "not-a-signed-token";
                case "jobId" -> "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5c";
                case "webhookId" -> webhookId;
                case "secretId", "deliveryId" -> "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5d";
                case "announcementId" -> "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5e";
                case "rewardId" -> rewardId;
                case "claimId" -> claimId;
                case "causeId" -> causeId;
                case "version" -> "1";
                case "segmentId" -> "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a60";
                case "runId" -> "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a61";
                case "bookableId" -> "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a64";
                case "reservationId" -> "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a65";
                case "surveyId" -> "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a69";
                default -> throw new AssertionError("No fixture for the path parameter " + parameter + "; add one here");
            };
        }
    }

    /** Everything a refused request might have changed. */
    private record Snapshot(long memberTransfers, long posted, long held, String holdStatus, boolean memberErased,
            long memberVersion, long members, long partners, long partnerKeys, long auditEntries, long campaignVersions,
            long couponDefinitions, long couponBatches, long couponsIssued, long couponsInUse, long offers, String consents,
            String webhooks) {
    }

    private Fixtures fixtures;

    /** Made inside the first test: the application is not yet serving during {@code @BeforeAll}. */
    private Fixtures fixtures() {
        if (fixtures == null) {
            UUID memberId = LedgerApi.enroll();
            String transactionId = LedgerApi.earnPoints(memberId, UUID.randomUUID().toString(), 100)
                    .then().statusCode(201).extract().path("transactionId");
            String holdId = Holds.hold(memberId, UUID.randomUUID().toString(), 10, HOLD_LIFETIME_SECONDS)
                    .then().statusCode(201).extract().path("holdId");
            Partners.TestPartner partner = Partners.create(100, "read");
            // A draft, which never applies: the rows may try to change it, and must not.
            String campaignId = LedgerApi.given().contentType("application/json")
                    .body(VALID_CAMPAIGN_START + "\"conditions\":{\"skus\":[\"SKU-FIXTURE-" + UUID.randomUUID()
                            + "\"]},\"effect\":{\"bonusPoints\":5}}")
                    .post("/v1/admin/campaigns").then().statusCode(201).extract().path("campaignId");
            // A definition with one bearer code and a batch of one: the rows may try to use them, and must not.
            String definitionId = LedgerApi.given().contentType("application/json")
                    .body("{\"name\":\"fixture\",\"kind\":\"AMOUNT_OFF\",\"amountOff\":100}")
                    .post("/v1/admin/coupon-definitions").then().statusCode(201).extract().path("definitionId");
            String couponCode = LedgerApi.given().contentType("application/json").body("{}")
                    .post("/v1/admin/coupon-definitions/{id}/coupons", definitionId).then().statusCode(201).extract().path("code");
            String batchId = LedgerApi.given().contentType("application/json").body("{\"count\":1}")
                    .post("/v1/admin/coupon-definitions/{id}/batches", definitionId).then().statusCode(202).extract().path("batchId");
            // A webhook of the partner's to an address that refuses connections, for events the partner never causes.
            String webhookId = LedgerApi.given().contentType("application/json")
                    .body("{\"url\":\"http://127.0.0.1:9/fixture\",\"eventTypes\":[\"COUPON_REDEEMED\"]}")
                    .post("/v1/admin/partners/{partnerId}/webhooks", partner.partnerId()).then().statusCode(201)
                    .extract().path("webhook.webhookId");
            // A reward the member cannot afford, with 5 units; a claim of a one-point one; a cause with matching.
            String rewardId = LedgerApi.given().contentType("application/json")
                    .body("{\"kind\":\"PRODUCT\",\"name\":\"fixture\",\"points\":1000,\"stock\":5}")
                    .post("/v1/admin/rewards").then().statusCode(201).extract().path("rewardId");
            String cheapRewardId = LedgerApi.given().contentType("application/json")
                    .body("{\"kind\":\"PRODUCT\",\"name\":\"fixture\",\"points\":1}")
                    .post("/v1/admin/rewards").then().statusCode(201).extract().path("rewardId");
            String claimId = LedgerApi.given().contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                    .body("{\"channel\":\"POS\"}").post("/v1/members/{memberId}/rewards/{rewardId}/claims", memberId, cheapRewardId)
                    .then().statusCode(201).extract().path("claimId");
            String causeId = LedgerApi.given().contentType("application/json")
                    .body("{\"name\":\"fixture\",\"matching\":{\"rateBasisPoints\":1000,\"budgetPoints\":100}}")
                    .post("/v1/admin/causes").then().statusCode(201).extract().path("causeId");
            fixtures = new Fixtures(memberId, holdId, transactionId, partner.partnerId(), partner.keyId(), campaignId,
                    definitionId, batchId, couponCode, webhookId, rewardId, claimId, causeId);
        }
        return fixtures;
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                // Members
                row("enroll: NUL in name", "POST", "/v1/members", "{\"name\":\"a\\u0000\",\"channel\":\"ONLINE\"}", 400, "VALIDATION_FAILED", "name"),
                row("enroll: escape in name", "POST", "/v1/members", "{\"name\":\"\\u001b[31mred\",\"channel\":\"ONLINE\"}", 400, "VALIDATION_FAILED", "name"),
                row("enroll: lone surrogate in name", "POST", "/v1/members", "{\"name\":\"a\\udfff\",\"channel\":\"ONLINE\"}", 400, "VALIDATION_FAILED", "name"),
                row("enroll: NUL in externalId", "POST", "/v1/members", "{\"externalId\":\"\\u0000\",\"name\":\"a\",\"channel\":\"ONLINE\"}", 400, "VALIDATION_FAILED", "externalId"),
                row("enroll: U+0001 in externalId", "POST", "/v1/members", "{\"externalId\":\"c-\\u0001\",\"name\":\"a\",\"channel\":\"ONLINE\"}", 400, "VALIDATION_FAILED", "externalId"),
                row("enroll: NUL in email", "POST", "/v1/members", "{\"name\":\"a\",\"email\":\"a\\u0000@example.com\",\"channel\":\"ONLINE\"}", 400, "VALIDATION_FAILED", "email"),
                row("enroll: NUL in phone", "POST", "/v1/members", "{\"name\":\"a\",\"phone\":\"+8210\\u00001234567\",\"channel\":\"ONLINE\"}", 400, "VALIDATION_FAILED", "phone"),
                row("enroll: name twice", "POST", "/v1/members", "{\"name\":\"a\",\"name\":\"b\",\"channel\":\"ONLINE\"}", 400, "MALFORMED_REQUEST", "name"),
                row("enroll: unknown field", "POST", "/v1/members", "{\"name\":\"a\",\"nickname\":\"b\",\"channel\":\"ONLINE\"}", 400, "MALFORMED_REQUEST", "nickname"),
                row("enroll: unknown channel", "POST", "/v1/members", "{\"name\":\"a\",\"channel\":\"STORE\"}", 400, "MALFORMED_REQUEST", "channel"),
                row("enroll: birthDate not a date", "POST", "/v1/members", "{\"name\":\"a\",\"birthDate\":\"1990-13-45\",\"channel\":\"ONLINE\"}", 400, "MALFORMED_REQUEST", "birthDate"),
                row("enroll: name over 100", "POST", "/v1/members", "{\"name\":\"" + "n".repeat(101) + "\",\"channel\":\"ONLINE\"}", 400, "VALIDATION_FAILED", "name"),
                row("enroll: name as number", "POST", "/v1/members", "{\"name\":5,\"channel\":\"ONLINE\"}", 400, "MALFORMED_REQUEST", "name"),
                row("enroll: body an array", "POST", "/v1/members", "[{\"name\":\"a\",\"channel\":\"ONLINE\"}]", 400, "MALFORMED_REQUEST", "body"),
                row("enroll: NUL in region", "POST", "/v1/members", "{\"name\":\"a\",\"region\":\"\\u0000\",\"channel\":\"ONLINE\"}", 400, "VALIDATION_FAILED", "region"),
                row("enroll: language not BCP 47", "POST", "/v1/members", "{\"name\":\"a\",\"language\":\"korean\",\"channel\":\"ONLINE\"}", 400, "VALIDATION_FAILED", "language"),
                row("enroll: gender as number", "POST", "/v1/members", "{\"name\":\"a\",\"gender\":1,\"channel\":\"ONLINE\"}", 400, "MALFORMED_REQUEST", "gender"),
                row("profile: NUL in region", "PATCH", "/v1/members/" + MEMBER, "{\"region\":\"Seoul\\u0000\"}", 400, "VALIDATION_FAILED", "region"),
                row("profile: escape in name", "PATCH", "/v1/members/" + MEMBER, "{\"name\":\"\\u001b[2J\"}", 400, "VALIDATION_FAILED", "name"),
                row("profile: name removed", "PATCH", "/v1/members/" + MEMBER, "{\"name\":null}", 400, "VALIDATION_FAILED", "name"),
                row("profile: blank name", "PATCH", "/v1/members/" + MEMBER, "{\"name\":\"   \"}", 400, "VALIDATION_FAILED", "name"),
                row("profile: phone not E.164", "PATCH", "/v1/members/" + MEMBER, "{\"phone\":\"010-1234\"}", 400, "VALIDATION_FAILED", "phone"),
                row("profile: email not an address", "PATCH", "/v1/members/" + MEMBER, "{\"email\":\"nobody\"}", 400, "VALIDATION_FAILED", "email"),
                row("profile: birthDate in the future", "PATCH", "/v1/members/" + MEMBER, "{\"birthDate\":\"2999-01-01\"}", 400, "VALIDATION_FAILED", "birthDate"),
                row("profile: language not BCP 47", "PATCH", "/v1/members/" + MEMBER, "{\"language\":\"KO_kr\"}", 400, "VALIDATION_FAILED", "language"),
                row("profile: region over 64", "PATCH", "/v1/members/" + MEMBER, "{\"region\":\"" + "r".repeat(65) + "\"}", 400, "VALIDATION_FAILED", "region"),
                row("profile: unknown gender", "PATCH", "/v1/members/" + MEMBER, "{\"gender\":\"X\"}", 400, "MALFORMED_REQUEST", "gender"),
                row("profile: region twice", "PATCH", "/v1/members/" + MEMBER, "{\"region\":\"a\",\"region\":\"b\"}", 400, "MALFORMED_REQUEST", "region"),
                row("profile: externalId is not editable", "PATCH", "/v1/members/" + MEMBER, "{\"externalId\":\"x\"}", 400, "MALFORMED_REQUEST", "externalId"),
                row("profile: body an array", "PATCH", "/v1/members/" + MEMBER, "[{\"region\":\"a\"}]", 400, "MALFORMED_REQUEST", "body"),
                row("profile: region as number", "PATCH", "/v1/members/" + MEMBER, "{\"region\":5}", 400, "MALFORMED_REQUEST", "region"),
                row("profile: without If-Match", "PATCH", "/v1/members/" + MEMBER, "{\"region\":\"Busan\"}", 428, "IF_MATCH_REQUIRED", null),
                row("contact preferences: consents missing", "PUT", "/v1/members/" + MEMBER + "/contact-preferences", "{\"source\":\"MEMBER_APP\"}", 400, "VALIDATION_FAILED", "consents"),
                row("contact preferences: a consent missing", "PUT", "/v1/members/" + MEMBER + "/contact-preferences", "{\"consents\":{\"email\":true,\"sms\":false},\"source\":\"MEMBER_APP\"}", 400, "VALIDATION_FAILED", "consents.push"),
                row("contact preferences: consent as text", "PUT", "/v1/members/" + MEMBER + "/contact-preferences", "{\"consents\":{\"email\":\"yes\",\"sms\":false,\"push\":false},\"source\":\"MEMBER_APP\"}", 400, "MALFORMED_REQUEST", "consents.email"),
                row("contact preferences: unknown channel", "PUT", "/v1/members/" + MEMBER + "/contact-preferences", "{\"consents\":{\"email\":true,\"sms\":false,\"push\":false,\"fax\":true},\"source\":\"MEMBER_APP\"}", 400, "MALFORMED_REQUEST", "consents.fax"),
                row("contact preferences: preferred without consent", "PUT", "/v1/members/" + MEMBER + "/contact-preferences", "{\"consents\":{\"email\":true,\"sms\":false,\"push\":false},\"source\":\"MEMBER_APP\",\"preferredChannel\":\"SMS\"}", 400, "VALIDATION_FAILED", "preferredChannel"),
                row("contact preferences: unknown preferred channel", "PUT", "/v1/members/" + MEMBER + "/contact-preferences", "{\"consents\":{\"email\":true,\"sms\":false,\"push\":false},\"source\":\"MEMBER_APP\",\"preferredChannel\":\"FAX\"}", 400, "MALFORMED_REQUEST", "preferredChannel"),
                row("contact preferences: source claimed as a link", "PUT", "/v1/members/" + MEMBER + "/contact-preferences", "{\"consents\":{\"email\":true,\"sms\":false,\"push\":false},\"source\":\"UNSUBSCRIBE_LINK\"}", 400, "VALIDATION_FAILED", "source"),
                row("contact preferences: source missing", "PUT", "/v1/members/" + MEMBER + "/contact-preferences", "{\"consents\":{\"email\":true,\"sms\":false,\"push\":false}}", 400, "VALIDATION_FAILED", "source"),
                row("contact preferences: quiet hours not a time", "PUT", "/v1/members/" + MEMBER + "/contact-preferences", "{\"consents\":{\"email\":true,\"sms\":false,\"push\":false},\"source\":\"MEMBER_APP\",\"quietHours\":{\"from\":\"25:00\",\"until\":\"08:00\"}}", 400, "MALFORMED_REQUEST", "quietHours.from"),
                row("contact preferences: quiet hours of no length", "PUT", "/v1/members/" + MEMBER + "/contact-preferences", "{\"consents\":{\"email\":true,\"sms\":false,\"push\":false},\"source\":\"MEMBER_APP\",\"quietHours\":{\"from\":\"08:00\",\"until\":\"08:00\"}}", 400, "VALIDATION_FAILED", "quietHours"),
                row("contact preferences: quiet hours without until", "PUT", "/v1/members/" + MEMBER + "/contact-preferences", "{\"consents\":{\"email\":true,\"sms\":false,\"push\":false},\"source\":\"MEMBER_APP\",\"quietHours\":{\"from\":\"22:00\"}}", 400, "VALIDATION_FAILED", "quietHours.until"),
                row("contact preferences: NUL in source", "PUT", "/v1/members/" + MEMBER + "/contact-preferences", "{\"consents\":{\"email\":true,\"sms\":false,\"push\":false},\"source\":\"\\u0000\"}", 400, "MALFORMED_REQUEST", "source"),
                row("contact preferences: without If-Match", "PUT", "/v1/members/" + MEMBER + "/contact-preferences", "{\"consents\":{\"email\":true,\"sms\":false,\"push\":false},\"source\":\"MEMBER_APP\"}", 428, "IF_MATCH_REQUIRED", null),
                row("contact preferences: unknown member read", "GET", "/v1/members/" + UUID.randomUUID() + "/contact-preferences", null, 404, "MEMBER_NOT_FOUND", null),
                row("unsubscribe: not a token", "POST", "/v1/unsubscribe/abc", null, 400, "UNSUBSCRIBE_LINK_INVALID", null),
                row("unsubscribe page: not a token", "GET", "/v1/unsubscribe/abc", null, 400, "UNSUBSCRIBE_LINK_INVALID", null),
                row("unsubscribe page: NUL in the token", "GET", "/v1/unsubscribe/a%00b", null, 400, "VALIDATION_FAILED", "token"),
                row("unsubscribe: NUL in the token", "POST", "/v1/unsubscribe/a%00b", null, 400, "VALIDATION_FAILED", "token"),
                row("unsubscribe: escape in the token", "POST", "/v1/unsubscribe/%1B", null, 400, "VALIDATION_FAILED", "token"),
                row("unsubscribe: a huge token", "POST", "/v1/unsubscribe/" + "A".repeat(4000) + ".x", null, 400, "UNSUBSCRIBE_LINK_INVALID", null),
                row("import: a path, not a file name", "POST", "/v1/admin/imports", "{\"kind\":\"MEMBERS\",\"file\":\"../pom.xml\"}", 400, "VALIDATION_FAILED", "file"),
                row("import: an absolute path", "POST", "/v1/admin/imports", "{\"kind\":\"MEMBERS\",\"file\":\"/etc/passwd\"}", 400, "VALIDATION_FAILED", "file"),
                row("import: a hidden file", "POST", "/v1/admin/imports", "{\"kind\":\"MEMBERS\",\"file\":\".env\"}", 400, "VALIDATION_FAILED", "file"),
                row("import: NUL in the file name", "POST", "/v1/admin/imports", "{\"kind\":\"MEMBERS\",\"file\":\"a\\u0000.csv\"}", 400, "VALIDATION_FAILED", "file"),
                row("import: file name over 128", "POST", "/v1/admin/imports", "{\"kind\":\"MEMBERS\",\"file\":\"" + "f".repeat(130) + ".csv\"}", 400, "VALIDATION_FAILED", "file"),
                row("import: no such file", "POST", "/v1/admin/imports", "{\"kind\":\"MEMBERS\",\"file\":\"nothing-here.csv\"}", 404, "IMPORT_FILE_NOT_FOUND", null),
                row("import: unknown kind", "POST", "/v1/admin/imports", "{\"kind\":\"GIFTS\",\"file\":\"a.csv\"}", 400, "MALFORMED_REQUEST", "kind"),
                row("import: postPoints not a boolean", "POST", "/v1/admin/imports", "{\"kind\":\"PURCHASES\",\"file\":\"a.csv\",\"postPoints\":\"yes\"}", 400, "MALFORMED_REQUEST", "postPoints"),
                row("import: postPoints for members", "POST", "/v1/admin/imports", "{\"kind\":\"MEMBERS\",\"file\":\"a.csv\",\"postPoints\":true}", 400, "VALIDATION_FAILED", "postPoints"),
                row("import: kind missing", "POST", "/v1/admin/imports", "{\"file\":\"a.csv\"}", 400, "VALIDATION_FAILED", "kind"),
                row("import: unknown format", "POST", "/v1/admin/imports", "{\"kind\":\"MEMBERS\",\"file\":\"a.csv\",\"format\":\"XLS\"}", 400, "MALFORMED_REQUEST", "format"),
                row("import: an extension of no format", "POST", "/v1/admin/imports", "{\"kind\":\"MEMBERS\",\"file\":\"a.txt\"}", 400, "VALIDATION_FAILED", "format"),
                row("import: file as a number", "POST", "/v1/admin/imports", "{\"kind\":\"MEMBERS\",\"file\":5}", 400, "MALFORMED_REQUEST", "file"),
                row("import: unknown channel", "POST", "/v1/admin/imports", "{\"kind\":\"MEMBERS\",\"file\":\"a.csv\",\"channel\":\"FAX\"}", 400, "MALFORMED_REQUEST", "channel"),
                row("import: unknown job", "GET", "/v1/admin/imports/" + UUID.randomUUID(), null, 404, "IMPORT_NOT_FOUND", null),
                row("import: job id not a UUID", "GET", "/v1/admin/imports/xyz", null, 404, "NOT_FOUND", null),
                row("import errors: cursor of another list", "GET", "/v1/admin/imports/" + UUID.randomUUID() + "/errors?cursor=dHJhbnNmZXJzOjE", null, 400, "VALIDATION_FAILED", "cursor"),
                row("import errors: limit over the maximum", "GET", "/v1/admin/imports/" + UUID.randomUUID() + "/errors?limit=1001", null, 400, "VALIDATION_FAILED", "limit"),
                row("imports: limit not a number", "GET", "/v1/admin/imports?limit=ten", null, 400, "VALIDATION_FAILED", "limit"),
                row("import report: unknown job", "GET", "/v1/admin/imports/" + UUID.randomUUID() + "/error-report", null, 404, "IMPORT_NOT_FOUND", null),
                row("enroll: birthDate as a number", "POST", "/v1/members", "{\"name\":\"a\",\"channel\":\"ONLINE\",\"birthDate\":20000}", 400, "MALFORMED_REQUEST", "birthDate"),
                row("enroll: birthDate as an array", "POST", "/v1/members", "{\"name\":\"a\",\"channel\":\"ONLINE\",\"birthDate\":[1990,1,2]}", 400, "MALFORMED_REQUEST", "birthDate"),
                row("enroll: BULK is for imports", "POST", "/v1/members", "{\"name\":\"a\",\"channel\":\"BULK\"}", 400, "VALIDATION_FAILED", "channel"),
                row("look-up: NUL in email", "POST", "/v1/members/lookups", "{\"email\":\"a\\u0000@example.com\"}", 400, "VALIDATION_FAILED", "email"),
                row("look-up: escape in phone", "POST", "/v1/members/lookups", "{\"phone\":\"\\u001b\"}", 400, "VALIDATION_FAILED", "phone"),
                row("look-up: neither field", "POST", "/v1/members/lookups", "{}", 400, "VALIDATION_FAILED", "body"),
                row("look-up: phone as number", "POST", "/v1/members/lookups", "{\"phone\":821012345678}", 400, "MALFORMED_REQUEST", "phone"),
                row("member: NUL id", "GET", "/v1/members/%00", null, 400, "VALIDATION_FAILED", "memberId"),
                row("member: id not a UUID", "GET", "/v1/members/not-a-uuid", null, 404, "NOT_FOUND", null),
                row("erase: NUL id", "DELETE", "/v1/members/%00", null, 400, "VALIDATION_FAILED", "memberId"),
                row("erase: id not a UUID", "DELETE", "/v1/members/1234", null, 404, "NOT_FOUND", null),
                row("tier: NUL id", "GET", "/v1/members/%00/tier", null, 400, "VALIDATION_FAILED", "memberId"),
                row("recommendations: NUL in limit", "GET", "/v1/members/" + MEMBER + "/recommendations?limit=%00", null, 400, "VALIDATION_FAILED", "limit"),
                row("recommendations: limit not a number", "GET", "/v1/members/" + MEMBER + "/recommendations?limit=abc", null, 400, "VALIDATION_FAILED", "limit"),
                row("recommendations: negative limit", "GET", "/v1/members/" + MEMBER + "/recommendations?limit=-1", null, 400, "VALIDATION_FAILED", "limit"),
                row("balance: NUL id", "GET", "/v1/members/%00/balance", null, 400, "VALIDATION_FAILED", "memberId"),
                row("earn: NUL member id", "POST", "/v1/members/%00/earn", VALID_EARN, 400, "VALIDATION_FAILED", "memberId"),
                row("earn: member id with a trailing NUL", "POST", "/v1/members/" + MEMBER + "%00/earn", VALID_EARN, 400, "VALIDATION_FAILED", "memberId"),
                // Holds
                row("hold: NUL in orderId", "POST", "/v1/members/" + MEMBER + "/holds", "{\"points\":1,\"orderId\":\"\\u0000\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "orderId"),
                row("hold: escape in orderId", "POST", "/v1/members/" + MEMBER + "/holds", "{\"points\":1,\"orderId\":\"o\\u001b\",\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "orderId"),
                row("hold: points twice", "POST", "/v1/members/" + MEMBER + "/holds", "{\"points\":1,\"points\":99,\"orderId\":\"o\",\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "points"),
                row("hold: unknown field", "POST", "/v1/members/" + MEMBER + "/holds", "{\"points\":1,\"orderId\":\"o\",\"channel\":\"POS\",\"expiresIn\":60}", 400, "MALFORMED_REQUEST", "expiresIn"),
                row("hold: lifetime over Long", "POST", "/v1/members/" + MEMBER + "/holds", "{\"points\":1,\"orderId\":\"o\",\"channel\":\"POS\",\"expiresInSeconds\":99999999999999999999}", 400, "MALFORMED_REQUEST", "expiresInSeconds"),
                row("hold: unknown channel", "POST", "/v1/members/" + MEMBER + "/holds", "{\"points\":1,\"orderId\":\"o\",\"channel\":\"KIOSK\"}", 400, "MALFORMED_REQUEST", "channel"),
                row("hold: NUL member id", "POST", "/v1/members/%00/holds", VALID_HOLD, 400, "VALIDATION_FAILED", "memberId"),
                row("capture: NUL hold id", "POST", "/v1/holds/%00/capture", null, 400, "VALIDATION_FAILED", "holdId"),
                row("capture: hold id not a UUID", "POST", "/v1/holds/not-a-uuid/capture", null, 404, "NOT_FOUND", null),
                row("capture: points twice", "POST", "/v1/holds/" + HOLD + "/capture", "{\"points\":1,\"points\":2}", 400, "MALFORMED_REQUEST", "points"),
                row("capture: unknown field", "POST", "/v1/holds/" + HOLD + "/capture", "{\"pts\":1}", 400, "MALFORMED_REQUEST", "pts"),
                row("capture: points as string", "POST", "/v1/holds/" + HOLD + "/capture", "{\"points\":\"1\"}", 400, "MALFORMED_REQUEST", "points"),
                row("capture: body an array", "POST", "/v1/holds/" + HOLD + "/capture", "[1]", 400, "MALFORMED_REQUEST", "body"),
                row("capture: not JSON", "POST", "/v1/holds/" + HOLD + "/capture", "points=1", 400, "MALFORMED_REQUEST", "body"),
                row("capture: zero points", "POST", "/v1/holds/" + HOLD + "/capture", "{\"points\":0}", 400, "VALIDATION_FAILED", "points"),
                row("capture: more than held", "POST", "/v1/holds/" + HOLD + "/capture", "{\"points\":11}", 409, "CAPTURE_EXCEEDS_HOLD", null),
                row("void: NUL hold id", "POST", "/v1/holds/%00/void", null, 400, "VALIDATION_FAILED", "holdId"),
                row("hold: NUL id", "GET", "/v1/holds/%00", null, 400, "VALIDATION_FAILED", "holdId"),
                row("hold: id not a UUID", "GET", "/v1/holds/xyz", null, 404, "NOT_FOUND", null),
                // Transactions and reversals
                row("transaction: NUL id", "GET", "/v1/transactions/%00", null, 400, "VALIDATION_FAILED", "transactionId"),
                row("transaction: id not a UUID", "GET", "/v1/transactions/xyz", null, 404, "NOT_FOUND", null),
                row("reverse: NUL in reason", "POST", "/v1/transactions/" + TRANSACTION + "/reverse", "{\"reason\":\"\\u0000\"}", 400, "VALIDATION_FAILED", "reason"),
                row("reverse: escape in reason", "POST", "/v1/transactions/" + TRANSACTION + "/reverse", "{\"reason\":\"returned\\u001b\"}", 400, "VALIDATION_FAILED", "reason"),
                row("reverse: newline in reason", "POST", "/v1/transactions/" + TRANSACTION + "/reverse", "{\"reason\":\"returned\\nin store\"}", 400, "VALIDATION_FAILED", "reason"),
                row("reverse: reason twice", "POST", "/v1/transactions/" + TRANSACTION + "/reverse", "{\"reason\":\"a\",\"reason\":\"b\"}", 400, "MALFORMED_REQUEST", "reason"),
                row("reverse: unknown field", "POST", "/v1/transactions/" + TRANSACTION + "/reverse", "{\"reason\":\"a\",\"amount\":5}", 400, "MALFORMED_REQUEST", "amount"),
                row("reverse: points as string", "POST", "/v1/transactions/" + TRANSACTION + "/reverse", "{\"reason\":\"a\",\"points\":\"5\"}", 400, "MALFORMED_REQUEST", "points"),
                row("reverse: NUL transaction id", "POST", "/v1/transactions/%00/reverse", "{\"reason\":\"a\"}", 400, "VALIDATION_FAILED", "transactionId"),
                // Adjustments
                row("adjust: NUL in reason", "POST", "/v1/admin/members/" + MEMBER + "/adjustments", "{\"points\":5,\"reason\":\"\\u0000\"}", 400, "VALIDATION_FAILED", "reason"),
                row("adjust: U+0001 in reason", "POST", "/v1/admin/members/" + MEMBER + "/adjustments", "{\"points\":5,\"reason\":\"goodwill\\u0001\"}", 400, "VALIDATION_FAILED", "reason"),
                row("adjust: lone surrogate in reason", "POST", "/v1/admin/members/" + MEMBER + "/adjustments", "{\"points\":5,\"reason\":\"\\ud83d\"}", 400, "VALIDATION_FAILED", "reason"),
                row("adjust: points twice", "POST", "/v1/admin/members/" + MEMBER + "/adjustments", "{\"points\":5,\"points\":-500,\"reason\":\"r\"}", 400, "MALFORMED_REQUEST", "points"),
                row("adjust: unknown field", "POST", "/v1/admin/members/" + MEMBER + "/adjustments", "{\"points\":5,\"reason\":\"r\",\"note\":\"n\"}", 400, "MALFORMED_REQUEST", "note"),
                row("adjust: allowNegative as string", "POST", "/v1/admin/members/" + MEMBER + "/adjustments", "{\"points\":5,\"reason\":\"r\",\"allowNegative\":\"yes\"}", 400, "MALFORMED_REQUEST", "allowNegative"),
                row("adjust: points over Long", "POST", "/v1/admin/members/" + MEMBER + "/adjustments", "{\"points\":-9223372036854775809,\"reason\":\"r\"}", 400, "MALFORMED_REQUEST", "points"),
                row("adjust: NUL member id", "POST", "/v1/admin/members/%00/adjustments", "{\"points\":5,\"reason\":\"r\"}", 400, "VALIDATION_FAILED", "memberId"),
                // Partners and keys
                row("partner: NUL in name", "POST", "/v1/admin/partners", "{\"name\":\"p\\u0000\",\"scopes\":[\"read\"],\"rateLimitPerSecond\":1}", 400, "VALIDATION_FAILED", "name"),
                row("partner: escape in name", "POST", "/v1/admin/partners", "{\"name\":\"\\u001bp\",\"scopes\":[\"read\"],\"rateLimitPerSecond\":1}", 400, "VALIDATION_FAILED", "name"),
                row("partner: name twice", "POST", "/v1/admin/partners", "{\"name\":\"p\",\"name\":\"q\",\"scopes\":[\"read\"],\"rateLimitPerSecond\":1}", 400, "MALFORMED_REQUEST", "name"),
                row("partner: unknown field", "POST", "/v1/admin/partners", "{\"name\":\"p\",\"scopes\":[\"read\"],\"rateLimitPerSecond\":1,\"webhook\":\"x\"}", 400, "MALFORMED_REQUEST", "webhook"),
                row("partner: unknown scope", "POST", "/v1/admin/partners", "{\"name\":\"p\",\"scopes\":[\"read\",\"fly\"],\"rateLimitPerSecond\":1}", 400, "MALFORMED_REQUEST", "scopes[1]"),
                row("partner: null scope", "POST", "/v1/admin/partners", "{\"name\":\"p\",\"scopes\":[null],\"rateLimitPerSecond\":1}", 400, "VALIDATION_FAILED", "scopes"),
                row("partner: scopes as string", "POST", "/v1/admin/partners", "{\"name\":\"p\",\"scopes\":\"read\",\"rateLimitPerSecond\":1}", 400, "MALFORMED_REQUEST", "scopes"),
                row("partner: rate limit over int", "POST", "/v1/admin/partners", "{\"name\":\"p\",\"scopes\":[\"read\"],\"rateLimitPerSecond\":99999999999}", 400, "MALFORMED_REQUEST", "rateLimitPerSecond"),
                row("partner: NUL id", "GET", "/v1/admin/partners/%00", null, 400, "VALIDATION_FAILED", "partnerId"),
                row("partner: escape in id", "GET", "/v1/admin/partners/a%1Bb", null, 400, "VALIDATION_FAILED", "partnerId"),
                row("partner: unknown id", "GET", "/v1/admin/partners/no-such-partner", null, 404, "PARTNER_NOT_FOUND", null),
                row("issue key: NUL partner id", "POST", "/v1/admin/partners/%00/keys", null, 400, "VALIDATION_FAILED", "partnerId"),
                row("revoke key: NUL partner id", "DELETE", "/v1/admin/partners/%00/keys/" + KEY, null, 400, "VALIDATION_FAILED", "partnerId"),
                row("revoke key: NUL key id", "DELETE", "/v1/admin/partners/" + PARTNER + "/keys/%00", null, 400, "VALIDATION_FAILED", "keyId"),
                row("revoke key: key id not a UUID", "DELETE", "/v1/admin/partners/" + PARTNER + "/keys/not-a-uuid", null, 404, "NOT_FOUND", null),
                // Webhooks
                row("webhook: NUL in url", "POST", WEBHOOKS, "{\"url\":\"http://a.example/\\u0000\",\"eventTypes\":[\"TRANSFER_RECORDED\"]}", 400, "VALIDATION_FAILED", "url"),
                row("webhook: ftp url", "POST", WEBHOOKS, "{\"url\":\"ftp://a.example/hooks\",\"eventTypes\":[\"TRANSFER_RECORDED\"]}", 400, "VALIDATION_FAILED", "url"),
                row("webhook: url with a password", "POST", WEBHOOKS, "{\"url\":\"https://user:secret@a.example/hooks\",\"eventTypes\":[\"TRANSFER_RECORDED\"]}", 400, "VALIDATION_FAILED", "url"),
                row("webhook: url with a fragment", "POST", WEBHOOKS, "{\"url\":\"https://a.example/hooks#x\",\"eventTypes\":[\"TRANSFER_RECORDED\"]}", 400, "VALIDATION_FAILED", "url"),
                row("webhook: relative url", "POST", WEBHOOKS, "{\"url\":\"/hooks\",\"eventTypes\":[\"TRANSFER_RECORDED\"]}", 400, "VALIDATION_FAILED", "url"),
                row("webhook: url with a space", "POST", WEBHOOKS, "{\"url\":\"https://a.example/a b\",\"eventTypes\":[\"TRANSFER_RECORDED\"]}", 400, "VALIDATION_FAILED", "url"),
                row("webhook: url without a host", "POST", WEBHOOKS, "{\"url\":\"https:///hooks\",\"eventTypes\":[\"TRANSFER_RECORDED\"]}", 400, "VALIDATION_FAILED", "url"),
                row("webhook: url over 2048", "POST", WEBHOOKS, "{\"url\":\"https://a.example/" + "a".repeat(2040) + "\",\"eventTypes\":[\"TRANSFER_RECORDED\"]}", 400, "VALIDATION_FAILED", "url"),
                row("webhook: url as a number", "POST", WEBHOOKS, "{\"url\":5,\"eventTypes\":[\"TRANSFER_RECORDED\"]}", 400, "MALFORMED_REQUEST", "url"),
                row("webhook: url twice", "POST", WEBHOOKS, "{\"url\":\"https://a.example/\",\"url\":\"https://b.example/\",\"eventTypes\":[\"TRANSFER_RECORDED\"]}", 400, "MALFORMED_REQUEST", "url"),
                row("webhook: unknown event type", "POST", WEBHOOKS, "{\"url\":\"https://a.example/\",\"eventTypes\":[\"EVERYTHING\"]}", 400, "MALFORMED_REQUEST", "eventTypes[0]"),
                row("webhook: no event types", "POST", WEBHOOKS, "{\"url\":\"https://a.example/\",\"eventTypes\":[]}", 400, "VALIDATION_FAILED", "eventTypes"),
                row("webhook: null event type", "POST", WEBHOOKS, "{\"url\":\"https://a.example/\",\"eventTypes\":[null]}", 400, "VALIDATION_FAILED", "eventTypes"),
                row("webhook: event types as a string", "POST", WEBHOOKS, "{\"url\":\"https://a.example/\",\"eventTypes\":\"TIER_CHANGED\"}", 400, "MALFORMED_REQUEST", "eventTypes"),
                row("webhook: escape in description", "POST", WEBHOOKS, "{\"url\":\"https://a.example/\",\"eventTypes\":[\"TIER_CHANGED\"],\"description\":\"\\u001b\"}", 400, "VALIDATION_FAILED", "description"),
                row("webhook: description over 200", "POST", WEBHOOKS, "{\"url\":\"https://a.example/\",\"eventTypes\":[\"TIER_CHANGED\"],\"description\":\"" + "d".repeat(201) + "\"}", 400, "VALIDATION_FAILED", "description"),
                row("webhook: a secret of one's own", "POST", WEBHOOKS, "{\"url\":\"https://a.example/\",\"eventTypes\":[\"TIER_CHANGED\"],\"secret\":\"whsec_x\"}", 400, "MALFORMED_REQUEST", "secret"),
                row("webhook: unknown partner", "POST", "/v1/admin/partners/no-such-partner/webhooks", "{\"url\":\"https://a.example/\",\"eventTypes\":[\"TIER_CHANGED\"]}", 404, "PARTNER_NOT_FOUND", null),
                row("webhook: id not a UUID", "GET", WEBHOOKS + "/xyz", null, 404, "NOT_FOUND", null),
                row("webhook: unknown id", "GET", WEBHOOKS + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", null, 404, "WEBHOOK_NOT_FOUND", null),
                row("webhook: another partner's", "GET", "/v1/admin/partners/operator/webhooks/" + WEBHOOK, null, 404, "WEBHOOK_NOT_FOUND", null),
                row("webhook delete: another partner's", "DELETE", "/v1/admin/partners/operator/webhooks/" + WEBHOOK, null, 404, "WEBHOOK_NOT_FOUND", null),
                row("webhook secret: rotate an unknown webhook", "POST", WEBHOOKS + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/secrets", null, 404, "WEBHOOK_NOT_FOUND", null),
                row("webhook secret: expire an unknown one", "DELETE", WEBHOOKS + "/" + WEBHOOK + "/secrets/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", null, 404, "WEBHOOK_SECRET_NOT_FOUND", null),
                row("webhook secret: id not a UUID", "DELETE", WEBHOOKS + "/" + WEBHOOK + "/secrets/xyz", null, 404, "NOT_FOUND", null),
                row("webhook deliveries: unknown status", "GET", WEBHOOKS + "/" + WEBHOOK + "/deliveries?status=LOST", null, 400, "VALIDATION_FAILED", "status"),
                row("webhook deliveries: limit 0", "GET", WEBHOOKS + "/" + WEBHOOK + "/deliveries?limit=0", null, 400, "VALIDATION_FAILED", "limit"),
                row("webhook deliveries: limit over the maximum", "GET", WEBHOOKS + "/" + WEBHOOK + "/deliveries?limit=501", null, 400, "VALIDATION_FAILED", "limit"),
                row("webhook deliveries: cursor of another list", "GET", WEBHOOKS + "/" + WEBHOOK + "/deliveries?cursor=dHJhbnNmZXJzOjE", null, 400, "VALIDATION_FAILED", "cursor"),
                row("webhook deliveries: unknown webhook", "GET", WEBHOOKS + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/deliveries", null, 404, "WEBHOOK_NOT_FOUND", null),
                row("webhook replay: unknown delivery", "POST", WEBHOOKS + "/" + WEBHOOK + "/deliveries/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/replay", null, 404, "WEBHOOK_DELIVERY_NOT_FOUND", null),
                row("webhook replay: since missing", "POST", WEBHOOKS + "/" + WEBHOOK + "/replay", "{}", 400, "VALIDATION_FAILED", "since"),
                row("webhook replay: since not a time", "POST", WEBHOOKS + "/" + WEBHOOK + "/replay", "{\"since\":\"yesterday\"}", 400, "MALFORMED_REQUEST", "since"),
                row("webhook replay: since as a number", "POST", WEBHOOKS + "/" + WEBHOOK + "/replay", "{\"since\":1}", 400, "MALFORMED_REQUEST", "since"),
                row("webhook replay: since in the year 300000", "POST", WEBHOOKS + "/" + WEBHOOK + "/replay", "{\"since\":\"+300000-01-01T00:00:00Z\"}", 400, "MALFORMED_REQUEST", "since"),
                row("webhook replay: since at the end of time", "POST", WEBHOOKS + "/" + WEBHOOK + "/replay", "{\"since\":\"+999999999-12-31T23:59:59Z\"}", 400, "MALFORMED_REQUEST", "since"),
                row("webhook replay: since before the epoch", "POST", WEBHOOKS + "/" + WEBHOOK + "/replay", "{\"since\":\"-4000-01-01T00:00:00Z\"}", 400, "MALFORMED_REQUEST", "since"),
                row("webhook replay: since tomorrow", "POST", WEBHOOKS + "/" + WEBHOOK + "/replay", "{\"since\":\"" + java.time.OffsetDateTime.now().plusDays(1) + "\"}", 400, "VALIDATION_FAILED", "since"),
                // Announcements
                row("announcement: NUL in a title", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("Sale", "Sa\\u0000le"), 400, "VALIDATION_FAILED", null),
                row("announcement: line break in a body", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("Today", "To\\nday"), 400, "VALIDATION_FAILED", null),
                row("announcement: no contents", "POST", ANNOUNCEMENTS, "{\"contents\":{},\"defaultLanguage\":\"en\"}", 400, "VALIDATION_FAILED", "contents"),
                row("announcement: contents not an object", "POST", ANNOUNCEMENTS, "{\"contents\":[],\"defaultLanguage\":\"en\"}", 400, "MALFORMED_REQUEST", "contents"),
                row("announcement: a language not BCP 47", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("\"en\":{", "\"english\":{"), 400, "VALIDATION_FAILED", null),
                row("announcement: default language not among contents", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("\"defaultLanguage\":\"en\"", "\"defaultLanguage\":\"ko\""), 400, "VALIDATION_FAILED", "defaultLanguage"),
                row("announcement: empty title", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("Sale", ""), 400, "VALIDATION_FAILED", null),
                row("announcement: title too long", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("Sale", "x".repeat(101)), 400, "VALIDATION_FAILED", null),
                row("announcement: unknown importance", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("NORMAL", "URGENT"), 400, "MALFORMED_REQUEST", "importance"),
                row("announcement: unknown tier", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("}}}", "}},\"audience\":{\"tiers\":[\"PLATINUM\"]}}"), 400, "MALFORMED_REQUEST", null),
                row("announcement: an empty audience", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("}}}", "}},\"audience\":{}}"), 400, "VALIDATION_FAILED", "audience"),
                row("announcement: tiers and a segment", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("}}}", "}},\"audience\":{\"tiers\":[\"GOLD\"],\"segmentId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62\"}}"), 400, "VALIDATION_FAILED", "audience"),
                row("announcement: unknown segment", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("}}}", "}},\"audience\":{\"segmentId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62\"}}"), 404, "SEGMENT_NOT_FOUND", null),
                row("announcement: segment not an id", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("}}}", "}},\"audience\":{\"segmentId\":\"seoul\"}}"), 400, "MALFORMED_REQUEST", "audience.segmentId"),
                row("offer: unknown segment", "POST", "/v1/admin/offers", "{\"name\":\"o\",\"kind\":\"SERVICE\",\"eligibility\":{\"segmentId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62\"}}", 404, "SEGMENT_NOT_FOUND", null),
                row("offer: segment a number", "POST", "/v1/admin/offers", "{\"name\":\"o\",\"kind\":\"SERVICE\",\"eligibility\":{\"segmentId\":7}}", 400, "MALFORMED_REQUEST", "eligibility.segmentId"),
                row("campaign: unknown segment", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"conditions\":{\"segmentId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62\"},\"effect\":{\"bonusPoints\":5}}", 404, "SEGMENT_NOT_FOUND", null),
                row("announcement: no tier in the audience", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("}}}", "}},\"audience\":{\"tiers\":[]}}"), 400, "VALIDATION_FAILED", null),
                row("announcement: unknown field", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("{\"defaultLanguage\"", "{\"channel\":\"SMS\",\"defaultLanguage\""), 400, "MALFORMED_REQUEST", "channel"),
                row("announcement: duplicate field", "POST", ANNOUNCEMENTS, ANNOUNCEMENT_BODY.replace("{\"defaultLanguage\":\"en\"", "{\"defaultLanguage\":\"en\",\"defaultLanguage\":\"en\""), 400, "MALFORMED_REQUEST", null),
                row("announcement: unknown one", "GET", ANNOUNCEMENTS + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", null, 404, "ANNOUNCEMENT_NOT_FOUND", null),
                row("announcement: id not a UUID", "GET", ANNOUNCEMENTS + "/xyz", null, 404, "NOT_FOUND", null),
                row("announcement cancel: unknown one", "POST", ANNOUNCEMENTS + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/cancel", null, 404, "ANNOUNCEMENT_NOT_FOUND", null),
                row("announcements: limit 0", "GET", ANNOUNCEMENTS + "?limit=0", null, 400, "VALIDATION_FAILED", "limit"),
                row("announcements: cursor of another list", "GET", ANNOUNCEMENTS + "?cursor=dHJhbnNmZXJzOjE", null, 400, "VALIDATION_FAILED", "cursor"),
                row("announcement messages: unknown status", "GET", ANNOUNCEMENTS + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/messages?status=LOST", null, 400, "VALIDATION_FAILED", "status"),
                row("member messages: limit over the maximum", "GET", "/v1/members/" + MEMBER + "/messages?limit=501", null, 400, "VALIDATION_FAILED", "limit"),
                row("member messages: unknown member", "GET", "/v1/members/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/messages", null, 404, "MEMBER_NOT_FOUND", null),
                row("webhook: port beyond 65535", "POST", WEBHOOKS, "{\"url\":\"https://a.example:99999/\",\"eventTypes\":[\"TRANSFER_RECORDED\"]}", 400, "VALIDATION_FAILED", "url"),
                row("webhook replay: unknown webhook", "POST", WEBHOOKS + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/replay", "{\"since\":\"2026-11-28T00:00:00Z\"}", 404, "WEBHOOK_NOT_FOUND", null),
                // Campaigns
                row("campaign: NUL in name", "POST", "/v1/admin/campaigns", "{\"name\":\"c\\u0000\",\"trigger\":\"PURCHASE\",\"priority\":1,\"effect\":{\"bonusPoints\":5}}", 400, "VALIDATION_FAILED", "name"),
                row("campaign: escape in a SKU", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"conditions\":{\"skus\":[\"a\\u001b\"]},\"effect\":{\"bonusPoints\":5}}", 400, "VALIDATION_FAILED", "conditions.skus[0]"),
                row("campaign: name twice", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"name\":\"d\",\"effect\":{\"bonusPoints\":5}}", 400, "MALFORMED_REQUEST", "name"),
                row("campaign: unknown field", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"budgets\":5,\"effect\":{\"bonusPoints\":5}}", 400, "MALFORMED_REQUEST", "budgets"),
                row("campaign: budget a number", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"budget\":5,\"effect\":{\"bonusPoints\":5}}", 400, "MALFORMED_REQUEST", "budget"),
                row("campaign: budget without limits", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"budget\":{},\"effect\":{\"bonusPoints\":5}}", 400, "VALIDATION_FAILED", "budget"),
                row("campaign: budget of zero", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"budget\":{\"totalPoints\":0},\"effect\":{\"bonusPoints\":5}}", 400, "VALIDATION_FAILED", "budget.totalPoints"),
                row("campaign: budget too large", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"budget\":{\"totalPoints\":10000000000000},\"effect\":{\"bonusPoints\":5}}", 400, "VALIDATION_FAILED", "budget.totalPoints"),
                row("campaign: budget as string", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"budget\":{\"totalPoints\":\"9\"},\"effect\":{\"bonusPoints\":5}}", 400, "MALFORMED_REQUEST", "budget.totalPoints"),
                row("campaign: member cap above budget", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"budget\":{\"totalPoints\":9,\"perMemberPoints\":10},\"effect\":{\"bonusPoints\":5}}", 400, "VALIDATION_FAILED", "budget.perMemberPoints"),
                row("campaign: unknown field in the budget", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"budget\":{\"totalPoints\":9,\"cap\":1},\"effect\":{\"bonusPoints\":5}}", 400, "MALFORMED_REQUEST", "budget.cap"),
                row("campaign: unknown field in the effect", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"effect\":{\"bonusPoints\":5,\"cap\":1}}", 400, "MALFORMED_REQUEST", "effect.cap"),
                row("campaign: priority as string", "POST", "/v1/admin/campaigns", "{\"name\":\"c\",\"trigger\":\"PURCHASE\",\"priority\":\"1\",\"effect\":{\"bonusPoints\":5}}", 400, "MALFORMED_REQUEST", "priority"),
                row("campaign: unknown trigger", "POST", "/v1/admin/campaigns", "{\"name\":\"c\",\"trigger\":\"FULL_MOON\",\"priority\":1,\"effect\":{\"bonusPoints\":5}}", 400, "MALFORMED_REQUEST", "trigger"),
                row("campaign: multiplier over int", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"effect\":{\"multiplierBasisPoints\":99999999999}}", 400, "MALFORMED_REQUEST", "effect.multiplierBasisPoints"),
                row("campaign: negative bonus", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"effect\":{\"bonusPoints\":-5}}", 400, "VALIDATION_FAILED", "effect.bonusPoints"),
                row("campaign: no effect", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"effect\":{}}", 400, "VALIDATION_FAILED", "effect"),
                row("campaign: unknown day", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"conditions\":{\"window\":{\"daysOfWeek\":[\"FUNDAY\"]}},\"effect\":{\"bonusPoints\":5}}", 400, "MALFORMED_REQUEST", "conditions.window.daysOfWeek[0]"),
                row("campaign: window start not a time", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"conditions\":{\"window\":{\"from\":\"soon\"}},\"effect\":{\"bonusPoints\":5}}", 400, "MALFORMED_REQUEST", "conditions.window.from"),
                row("campaign: window start as an array", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"conditions\":{\"window\":{\"from\":[2026,12,5,0,0]}},\"effect\":{\"bonusPoints\":5}}", 400, "MALFORMED_REQUEST", "conditions.window.from"),
                row("campaign: window end in the year 10000", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"conditions\":{\"window\":{\"until\":\"+10000-01-01T00:00:00\"}},\"effect\":{\"bonusPoints\":5}}", 400, "MALFORMED_REQUEST", "conditions.window.until"),
                row("campaign: window start with an offset", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"conditions\":{\"window\":{\"from\":\"2026-12-05T00:00:00Z\"}},\"effect\":{\"bonusPoints\":5}}", 400, "MALFORMED_REQUEST", "conditions.window.from"),
                row("campaign: minimum spend negative", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"conditions\":{\"minimumSpend\":-1},\"effect\":{\"bonusPoints\":5}}", 400, "VALIDATION_FAILED", "conditions.minimumSpend"),
                row("campaign: NUL id", "GET", "/v1/admin/campaigns/%00", null, 400, "VALIDATION_FAILED", "campaignId"),
                row("campaign: id not a UUID", "GET", "/v1/admin/campaigns/xyz", null, 404, "NOT_FOUND", null),
                row("campaign: unknown id", "GET", "/v1/admin/campaigns/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", null, 404, "CAMPAIGN_NOT_FOUND", null),
                row("campaign update: NUL in name", "PUT", "/v1/admin/campaigns/" + CAMPAIGN, "{\"name\":\"\\u0000\",\"trigger\":\"PURCHASE\",\"priority\":1,\"effect\":{\"bonusPoints\":5}}", 400, "VALIDATION_FAILED", "name"),
                row("campaign update: without If-Match", "PUT", "/v1/admin/campaigns/" + CAMPAIGN, VALID_CAMPAIGN_START + "\"effect\":{\"bonusPoints\":6}}", 428, "IF_MATCH_REQUIRED", null),
                row("campaign activate: NUL id", "POST", "/v1/admin/campaigns/%00/activate", null, 400, "VALIDATION_FAILED", "campaignId"),
                row("campaign pause: a draft", "POST", "/v1/admin/campaigns/" + CAMPAIGN + "/pause", null, 409, "CAMPAIGN_STATE_CONFLICT", null),
                row("campaigns: unknown status", "GET", "/v1/admin/campaigns?status=SOMETIMES", null, 400, "VALIDATION_FAILED", "status"),
                row("campaigns: NUL in cursor", "GET", "/v1/admin/campaigns?cursor=%00", null, 400, "VALIDATION_FAILED", "cursor"),
                row("campaign versions: limit 0", "GET", "/v1/admin/campaigns/" + CAMPAIGN + "/versions?limit=0", null, 400, "VALIDATION_FAILED", "limit"),
                row("coupon definition: NUL in name", "POST", "/v1/admin/coupon-definitions", "{\"name\":\"c\\u0000\",\"kind\":\"POINTS\",\"points\":5}", 400, "VALIDATION_FAILED", "name"),
                row("coupon definition: unknown kind", "POST", "/v1/admin/coupon-definitions", "{\"name\":\"c\",\"kind\":\"FREE_LUNCH\",\"points\":5}", 400, "MALFORMED_REQUEST", "kind"),
                row("coupon definition: value of another kind", "POST", "/v1/admin/coupon-definitions", "{\"name\":\"c\",\"kind\":\"POINTS\",\"amountOff\":5}", 400, "VALIDATION_FAILED", "points"),
                row("coupon definition: two values", "POST", "/v1/admin/coupon-definitions", "{\"name\":\"c\",\"kind\":\"POINTS\",\"points\":5,\"sku\":\"A\"}", 400, "VALIDATION_FAILED", "sku"),
                row("coupon definition: more than all off", "POST", "/v1/admin/coupon-definitions", "{\"name\":\"c\",\"kind\":\"PERCENT_OFF\",\"percentOffBasisPoints\":10001}", 400, "VALIDATION_FAILED", "percentOffBasisPoints"),
                row("coupon definition: negative points", "POST", "/v1/admin/coupon-definitions", "{\"name\":\"c\",\"kind\":\"POINTS\",\"points\":-5}", 400, "VALIDATION_FAILED", "points"),
                row("coupon definition: points as string", "POST", "/v1/admin/coupon-definitions", "{\"name\":\"c\",\"kind\":\"POINTS\",\"points\":\"5\"}", 400, "MALFORMED_REQUEST", "points"),
                row("coupon definition: window the wrong way", "POST", "/v1/admin/coupon-definitions", "{\"name\":\"c\",\"kind\":\"POINTS\",\"points\":5,\"validFrom\":\"2026-12-02T00:00:00Z\",\"validUntil\":\"2026-12-01T00:00:00Z\"}", 400, "VALIDATION_FAILED", "validUntil"),
                row("coupon definition: validFrom as a number", "POST", "/v1/admin/coupon-definitions", "{\"name\":\"c\",\"kind\":\"POINTS\",\"points\":5,\"validFrom\":1764403200}", 400, "MALFORMED_REQUEST", "validFrom"),
                row("coupon definition: validUntil as a fraction", "POST", "/v1/admin/coupon-definitions", "{\"name\":\"c\",\"kind\":\"POINTS\",\"points\":5,\"validUntil\":1764403200.5}", 400, "MALFORMED_REQUEST", "validUntil"),
                row("coupon definition: limit 0", "POST", "/v1/admin/coupon-definitions", "{\"name\":\"c\",\"kind\":\"POINTS\",\"points\":5,\"perMemberLimit\":0}", 400, "VALIDATION_FAILED", "perMemberLimit"),
                row("coupon definition: unknown id", "GET", "/v1/admin/coupon-definitions/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", null, 404, "COUPON_DEFINITION_NOT_FOUND", null),
                row("coupon: to an unknown member", "POST", "/v1/admin/coupon-definitions/" + DEFINITION + "/coupons", "{\"memberId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b\"}", 404, "MEMBER_NOT_FOUND", null),
                row("coupon: member id not a UUID", "POST", "/v1/admin/coupon-definitions/" + DEFINITION + "/coupons", "{\"memberId\":\"me\"}", 400, "MALFORMED_REQUEST", "memberId"),
                row("coupon batch: none", "POST", "/v1/admin/coupon-definitions/" + DEFINITION + "/batches", "{\"count\":0}", 400, "VALIDATION_FAILED", "count"),
                row("coupon batch: too many", "POST", "/v1/admin/coupon-definitions/" + DEFINITION + "/batches", "{\"count\":1000001}", 400, "VALIDATION_FAILED", "count"),
                row("coupon batch: count beyond int", "POST", "/v1/admin/coupon-definitions/" + DEFINITION + "/batches", "{\"count\":99999999999}", 400, "MALFORMED_REQUEST", "count"),
                row("coupon batch: unknown id", "GET", "/v1/admin/coupon-batches/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", null, 404, "COUPON_BATCH_NOT_FOUND", null),
                row("coupon batch codes: limit 0", "GET", "/v1/admin/coupon-batches/" + BATCH + "/coupons?limit=0", null, 400, "VALIDATION_FAILED", "limit"),
                row("coupon: code with a symbol", "POST", "/v1/coupons/AB-CD-EF/validate", VALID_BASKET_START + "\"amount\":{\"value\":100,\"currency\":\"USD\"}}", 400, "VALIDATION_FAILED", "code"),
                row("coupon: unknown code", "POST", "/v1/coupons/ZZZZZZZZZZZZZZZZ/validate", VALID_BASKET_START + "\"amount\":{\"value\":100,\"currency\":\"USD\"}}", 404, "COUPON_NOT_FOUND", null),
                row("coupon: basket without member", "POST", "/v1/coupons/" + CODE + "/validate", "{\"orderId\":\"o\"}", 400, "VALIDATION_FAILED", "memberId"),
                row("coupon: basket in another currency", "POST", "/v1/coupons/" + CODE + "/validate", VALID_BASKET_START + "\"amount\":{\"value\":100,\"currency\":\"EUR\"}}", 422, "CURRENCY_NOT_ACCEPTED", null),
                row("coupon: escape in an item", "POST", "/v1/coupons/" + CODE + "/validate", VALID_BASKET_START + "\"items\":[{\"sku\":\"a\\u001b\",\"quantity\":1,\"unitPrice\":1}]}", 400, "VALIDATION_FAILED", "items[0].sku"),
                row("coupon: orderId twice", "POST", "/v1/coupons/" + CODE + "/redeem", VALID_BASKET_START + "\"orderId\":\"p\"}", 400, "MALFORMED_REQUEST", "orderId"),
                row("coupon: redeem with a negative amount", "POST", "/v1/coupons/" + CODE + "/redeem", VALID_BASKET_START + "\"amount\":{\"value\":-1,\"currency\":\"USD\"}}", 400, "VALIDATION_FAILED", "amount.value"),
                row("coupon: redeem for an unknown member", "POST", "/v1/coupons/" + CODE + "/redeem", "{\"memberId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b\",\"orderId\":\"o\",\"amount\":{\"value\":100,\"currency\":\"USD\"}}", 404, "MEMBER_NOT_FOUND", null),
                row("coupon: release what is not held", "POST", "/v1/coupons/" + CODE + "/release", "{\"memberId\":\"" + MEMBER + "\",\"orderId\":\"o\"}", 409, "COUPON_NOT_HELD", null),
                row("coupon: hold without order", "POST", "/v1/coupons/" + CODE + "/hold", "{\"memberId\":\"" + MEMBER + "\"}", 400, "VALIDATION_FAILED", "orderId"),
                row("member coupons: NUL in cursor", "GET", "/v1/members/" + MEMBER + "/coupons?cursor=%00", null, 400, "VALIDATION_FAILED", "cursor"),
                row("member coupons: unknown member", "GET", "/v1/members/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/coupons", null, 404, "MEMBER_NOT_FOUND", null),
                row("offer: NUL in name", "POST", "/v1/admin/offers", "{\"name\":\"o\\u0000\",\"kind\":\"SERVICE\"}", 400, "VALIDATION_FAILED", "name"),
                row("offer: unknown kind", "POST", "/v1/admin/offers", "{\"name\":\"o\",\"kind\":\"PARTY\"}", 400, "MALFORMED_REQUEST", "kind"),
                row("offer: unknown tier", "POST", "/v1/admin/offers", "{\"name\":\"o\",\"kind\":\"SERVICE\",\"eligibility\":{\"tiers\":[\"PLATINUM\"]}}", 400, "MALFORMED_REQUEST", "eligibility.tiers[0]"),
                row("offer: no tiers", "POST", "/v1/admin/offers", "{\"name\":\"o\",\"kind\":\"SERVICE\",\"eligibility\":{\"tiers\":[]}}", 400, "VALIDATION_FAILED", "eligibility.tiers"),
                row("offer: window the wrong way", "POST", "/v1/admin/offers", "{\"name\":\"o\",\"kind\":\"SERVICE\",\"validFrom\":\"2026-12-02T00:00:00Z\",\"validUntil\":\"2026-12-01T00:00:00Z\"}", 400, "VALIDATION_FAILED", "validUntil"),
                row("offer: discount of nothing", "POST", "/v1/admin/offers", "{\"name\":\"o\",\"kind\":\"DISCOUNT\",\"percentOffBasisPoints\":0}", 400, "VALIDATION_FAILED", "percentOffBasisPoints"),
                row("offer: coupon id not a UUID", "POST", "/v1/admin/offers", "{\"name\":\"o\",\"kind\":\"SERVICE\",\"couponDefinitionId\":\"x\"}", 400, "MALFORMED_REQUEST", "couponDefinitionId"),
                row("offer: unknown coupon", "POST", "/v1/admin/offers", "{\"name\":\"o\",\"kind\":\"SERVICE\",\"couponDefinitionId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b\"}", 404, "COUPON_DEFINITION_NOT_FOUND", null),
                row("offer: unknown id", "GET", "/v1/admin/offers/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", null, 404, "OFFER_NOT_FOUND", null),
                row("offer end: unknown id", "POST", "/v1/admin/offers/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/end", null, 404, "OFFER_NOT_FOUND", null),
                row("offers: unknown status", "GET", "/v1/admin/offers?status=SOMETIMES", null, 400, "VALIDATION_FAILED", "status"),
                row("member offers: unknown member", "GET", "/v1/members/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/offers", null, 404, "MEMBER_NOT_FOUND", null),
                row("campaign: effect and variants", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"effect\":{\"bonusPoints\":5},\"variants\":[{\"name\":\"a\",\"shareBasisPoints\":5000,\"control\":true},{\"name\":\"b\",\"shareBasisPoints\":5000}]}", 400, "VALIDATION_FAILED", "effect"),
                row("campaign: one variant", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"variants\":[{\"name\":\"a\",\"shareBasisPoints\":10000,\"control\":true}]}", 400, "VALIDATION_FAILED", "variants"),
                row("campaign: shares short of the whole", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"variants\":[{\"name\":\"a\",\"shareBasisPoints\":5000,\"control\":true},{\"name\":\"b\",\"shareBasisPoints\":4000}]}", 400, "VALIDATION_FAILED", "variants"),
                row("campaign: two controls", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"variants\":[{\"name\":\"a\",\"shareBasisPoints\":5000,\"control\":true},{\"name\":\"b\",\"shareBasisPoints\":5000,\"control\":true}]}", 400, "VALIDATION_FAILED", "variants"),
                row("campaign: variants of one name", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"variants\":[{\"name\":\"a\",\"shareBasisPoints\":5000,\"control\":true},{\"name\":\"a\",\"shareBasisPoints\":5000}]}", 400, "VALIDATION_FAILED", "variants[1].name"),
                row("campaign: variant name with a space", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"variants\":[{\"name\":\"a b\",\"shareBasisPoints\":5000,\"control\":true},{\"name\":\"c\",\"shareBasisPoints\":5000}]}", 400, "VALIDATION_FAILED", "variants[0].name"),
                row("campaign: variant share of 0", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"variants\":[{\"name\":\"a\",\"shareBasisPoints\":0,\"control\":true},{\"name\":\"c\",\"shareBasisPoints\":10000}]}", 400, "VALIDATION_FAILED", "variants[0].shareBasisPoints"),
                row("campaign: variants on a signup", "POST", "/v1/admin/campaigns", "{\"name\":\"c\",\"trigger\":\"SIGNUP\",\"priority\":1,\"variants\":[{\"name\":\"a\",\"shareBasisPoints\":5000,\"control\":true},{\"name\":\"b\",\"shareBasisPoints\":5000,\"effect\":{\"bonusPoints\":5}}]}", 400, "VALIDATION_FAILED", "variants"),
                row("campaign: a coupon on every purchase", "POST", "/v1/admin/campaigns", VALID_CAMPAIGN_START + "\"effect\":{\"couponDefinitionId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b\"}}", 400, "VALIDATION_FAILED", "effect.couponDefinitionId"),
                row("campaign: a coupon of nothing", "POST", "/v1/admin/campaigns", "{\"name\":\"c\",\"trigger\":\"SIGNUP\",\"priority\":1,\"effect\":{\"couponDefinitionId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b\"}}", 404, "COUPON_DEFINITION_NOT_FOUND", null),
                row("experiment report: a campaign without variants", "GET", "/v1/admin/experiments/" + CAMPAIGN + "/report", null, 404, "EXPERIMENT_NOT_FOUND", null),
                row("experiment report: id not a UUID", "GET", "/v1/admin/experiments/xyz/report", null, 404, "NOT_FOUND", null),
                row("campaign versions: cursor of another list", "GET", "/v1/admin/campaigns/" + CAMPAIGN + "/versions?cursor=dHJhbnNmZXJzOjE", null, 400, "VALIDATION_FAILED", "cursor"),
                // Audit and settlement
                row("audit: NUL in cursor", "GET", "/v1/admin/audit?cursor=%00", null, 400, "VALIDATION_FAILED", "cursor"),
                row("audit: cursor of another list", "GET", "/v1/admin/audit?cursor=dHJhbnNmZXJzOjE", null, 400, "VALIDATION_FAILED", "cursor"),
                row("audit: escape in limit", "GET", "/v1/admin/audit?limit=%1B", null, 400, "VALIDATION_FAILED", "limit"),
                row("audit: limit not a number", "GET", "/v1/admin/audit?limit=abc", null, 400, "VALIDATION_FAILED", "limit"),
                row("audit: limit over int", "GET", "/v1/admin/audit?limit=99999999999", null, 400, "VALIDATION_FAILED", "limit"),
                row("audit: NUL in a parameter name", "GET", "/v1/admin/audit?x%00=1", null, 400, "VALIDATION_FAILED", "query"),
                row("settlement: NUL in from", "GET", "/v1/admin/settlement?from=%00&to=2026-01-02T00:00:00Z", null, 400, "VALIDATION_FAILED", "from"),
                row("settlement: escape in to", "GET", "/v1/admin/settlement?from=2026-01-01T00:00:00Z&to=%1B", null, 400, "VALIDATION_FAILED", "to"),
                row("settlement: from in the year 300000", "GET", "/v1/admin/settlement?from=%2B300000-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", null, 400, "VALIDATION_FAILED", null),
                row("coupon definition: validUntil in the year 300000", "POST", "/v1/admin/coupon-definitions", "{\"name\":\"c\",\"kind\":\"POINTS\",\"points\":5,\"validUntil\":\"+300000-01-01T00:00:00Z\"}", 400, "MALFORMED_REQUEST", "validUntil"),
                row("offer: validFrom before year 1", "POST", "/v1/admin/offers", "{\"name\":\"o\",\"kind\":\"SERVICE\",\"validFrom\":\"-0005-01-01T00:00:00Z\"}", 400, "MALFORMED_REQUEST", "validFrom"),
                row("enroll: birthDate before year 1", "POST", "/v1/members", "{\"name\":\"a\",\"channel\":\"ONLINE\",\"birthDate\":\"-999999-01-01\"}", 400, "MALFORMED_REQUEST", "birthDate"),
                row("settlement: from not a timestamp", "GET", "/v1/admin/settlement?from=yesterday&to=today", null, 400, "VALIDATION_FAILED", null),
                // Rewards
                row("reward: NUL in name", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\\u0000\",\"points\":1}", 400, "VALIDATION_FAILED", "name"),
                row("reward: unknown kind", "POST", "/v1/admin/rewards", "{\"kind\":\"CAR\",\"name\":\"r\",\"points\":1}", 400, "MALFORMED_REQUEST", "kind"),
                row("reward: price of nothing", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\",\"points\":0}", 400, "VALIDATION_FAILED", "points"),
                row("reward: price past the most a transfer moves", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\",\"points\":1000000001}", 400, "VALIDATION_FAILED", "points"),
                row("reward: price past a long", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\",\"points\":99999999999999999999}", 400, "MALFORMED_REQUEST", "points"),
                row("reward: price as text", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\",\"points\":\"ten\"}", 400, "MALFORMED_REQUEST", "points"),
                row("reward: negative stock", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\",\"points\":1,\"stock\":-1}", 400, "VALIDATION_FAILED", "stock"),
                row("reward: unknown tier's price", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\",\"points\":1,\"pointsByTier\":{\"PLATINUM\":1}}", 400, "MALFORMED_REQUEST", "pointsByTier"),
                row("reward: a tier's price of nothing", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\",\"points\":1,\"pointsByTier\":{\"GOLD\":0}}", 400, "VALIDATION_FAILED", "pointsByTier"),
                row("reward: picture not https", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\",\"points\":1,\"imageUrls\":[\"javascript:alert(1)\"]}", 400, "VALIDATION_FAILED", "imageUrls[0]"),
                row("reward: no tiers", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\",\"points\":1,\"eligibility\":{\"tiers\":[]}}", 400, "VALIDATION_FAILED", "eligibility.tiers"),
                row("reward: experience without an event", "POST", "/v1/admin/rewards", "{\"kind\":\"EXPERIENCE\",\"name\":\"r\",\"points\":1,\"stock\":5}", 400, "VALIDATION_FAILED", "event"),
                row("reward: event of a product", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\",\"points\":1,\"event\":{\"startsAt\":\"2027-01-01T19:00:00Z\",\"venue\":\"v\"}}", 400, "VALIDATION_FAILED", "event"),
                row("reward: experience without seats", "POST", "/v1/admin/rewards", "{\"kind\":\"EXPERIENCE\",\"name\":\"r\",\"points\":1,\"event\":{\"startsAt\":\"2027-01-01T19:00:00Z\",\"venue\":\"v\"}}", 400, "VALIDATION_FAILED", "stock"),
                row("reward: cut-off after the event", "POST", "/v1/admin/rewards", "{\"kind\":\"EXPERIENCE\",\"name\":\"r\",\"points\":1,\"stock\":5,\"event\":{\"startsAt\":\"2027-01-01T19:00:00Z\",\"venue\":\"v\",\"cancellableUntil\":\"2027-01-02T00:00:00Z\"}}", 400, "VALIDATION_FAILED", "event.cancellableUntil"),
                row("reward: window the wrong way", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\",\"points\":1,\"availableFrom\":\"2026-12-02T00:00:00Z\",\"availableUntil\":\"2026-12-01T00:00:00Z\"}", 400, "VALIDATION_FAILED", "availableUntil"),
                row("reward: unknown fulfilment partner", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\",\"points\":1,\"fulfilmentPartnerId\":\"nobody\"}", 404, "PARTNER_NOT_FOUND", null),
                row("reward: name twice", "POST", "/v1/admin/rewards", "{\"kind\":\"PRODUCT\",\"name\":\"r\",\"name\":\"s\",\"points\":1}", 400, "MALFORMED_REQUEST", "name"),
                row("reward: unknown id", "GET", "/v1/admin/rewards/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", null, 404, "REWARD_NOT_FOUND", null),
                row("reward: id not a UUID", "GET", "/v1/admin/rewards/not-a-uuid", null, 404, "NOT_FOUND", null),
                row("rewards: unknown status", "GET", "/v1/admin/rewards?status=SOMETIMES", null, 400, "VALIDATION_FAILED", "status"),
                row("rewards: limit past the most", "GET", "/v1/admin/rewards?limit=201", null, 400, "VALIDATION_FAILED", "limit"),
                row("reward stock: no change", "POST", "/v1/admin/rewards/" + REWARD + "/stock", "{\"change\":0}", 400, "VALIDATION_FAILED", "change"),
                row("reward stock: without If-Match", "POST", "/v1/admin/rewards/" + REWARD + "/stock", "{\"change\":-6}", 428, "IF_MATCH_REQUIRED", null),
                row("reward stock: change as text", "POST", "/v1/admin/rewards/" + REWARD + "/stock", "{\"change\":\"5\"}", 400, "MALFORMED_REQUEST", "change"),
                row("reward stock: change past the most", "POST", "/v1/admin/rewards/" + REWARD + "/stock", "{\"change\":1000000001}", 400, "VALIDATION_FAILED", "change"),
                row("reward retire: unknown reward", "POST", "/v1/admin/rewards/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/retire", null, 404, "REWARD_NOT_FOUND", null),
                row("reward claims: unknown status", "GET", "/v1/admin/rewards/" + REWARD + "/claims?status=LOST", null, 400, "VALIDATION_FAILED", "status"),
                row("reward claims: unknown reward", "GET", "/v1/admin/rewards/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/claims", null, 404, "REWARD_NOT_FOUND", null),
                row("member rewards: unknown member", "GET", "/v1/members/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/rewards", null, 404, "MEMBER_NOT_FOUND", null),
                row("member rewards: cursor of another list", "GET", "/v1/members/" + MEMBER + "/rewards?cursor=abc", null, 400, "VALIDATION_FAILED", "cursor"),
                row("claim: unknown reward", "POST", "/v1/members/" + MEMBER + "/rewards/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/claims", "{\"channel\":\"POS\"}", 404, "REWARD_NOT_FOUND", null),
                row("claim: unknown member", "POST", "/v1/members/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/rewards/" + REWARD + "/claims", "{\"channel\":\"POS\"}", 404, "MEMBER_NOT_FOUND", null),
                row("claim: no channel", "POST", "/v1/members/" + MEMBER + "/rewards/" + REWARD + "/claims", "{}", 400, "VALIDATION_FAILED", "channel"),
                row("claim: unknown channel", "POST", "/v1/members/" + MEMBER + "/rewards/" + REWARD + "/claims", "{\"channel\":\"FAX\"}", 400, "MALFORMED_REQUEST", "channel"),
                row("claim: expecting a price of nothing", "POST", "/v1/members/" + MEMBER + "/rewards/" + REWARD + "/claims", "{\"channel\":\"POS\",\"expectedPoints\":0}", 400, "VALIDATION_FAILED", "expectedPoints"),
                row("claim: expecting another price", "POST", "/v1/members/" + MEMBER + "/rewards/" + REWARD + "/claims", "{\"channel\":\"POS\",\"expectedPoints\":999}", 409, "PRICE_CHANGED", null),
                row("claim: above the available points", "POST", "/v1/members/" + MEMBER + "/rewards/" + REWARD + "/claims", "{\"channel\":\"POS\"}", 409, "INSUFFICIENT_POINTS", null),
                row("claim: body an array", "POST", "/v1/members/" + MEMBER + "/rewards/" + REWARD + "/claims", "[]", 400, "MALFORMED_REQUEST", "body"),
                row("member claims: unknown member", "GET", "/v1/members/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/reward-claims", null, 404, "MEMBER_NOT_FOUND", null),
                row("member claim: unknown claim", "GET", "/v1/members/" + MEMBER + "/reward-claims/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", null, 404, "CLAIM_NOT_FOUND", null),
                row("member claim: another member's", "GET", "/v1/members/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/reward-claims/" + CLAIM, null, 404, "CLAIM_NOT_FOUND", null),
                row("cancellation: unknown claim", "POST", "/v1/members/" + MEMBER + "/reward-claims/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/cancellation", "{}", 404, "CLAIM_NOT_FOUND", null),
                row("cancellation: NUL in reason", "POST", "/v1/members/" + MEMBER + "/reward-claims/" + CLAIM + "/cancellation", "{\"reason\":\"\\u0000\"}", 400, "VALIDATION_FAILED", "reason"),
                row("cancellation: reason as number", "POST", "/v1/members/" + MEMBER + "/reward-claims/" + CLAIM + "/cancellation", "{\"reason\":5}", 400, "MALFORMED_REQUEST", "reason"),
                row("hand-over claims: unknown status", "GET", "/v1/reward-claims?status=LOST", null, 400, "VALIDATION_FAILED", "status"),
                row("hand-over claims: limit past the most", "GET", "/v1/reward-claims?limit=201", null, 400, "VALIDATION_FAILED", "limit"),
                row("fulfilment: unknown claim", "POST", "/v1/reward-claims/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/fulfilment", "{}", 404, "CLAIM_NOT_FOUND", null),
                row("fulfilment: reference over 64", "POST", "/v1/reward-claims/" + CLAIM + "/fulfilment", "{\"reference\":\"" + "r".repeat(65) + "\"}", 400, "VALIDATION_FAILED", "reference"),
                // Causes and donations
                row("cause: NUL in name", "POST", "/v1/admin/causes", "{\"name\":\"c\\u0000\"}", 400, "VALIDATION_FAILED", "name"),
                row("cause: negative match rate", "POST", "/v1/admin/causes", "{\"name\":\"c\",\"matching\":{\"rateBasisPoints\":-1,\"budgetPoints\":1}}", 400, "VALIDATION_FAILED", "matching.rateBasisPoints"),
                row("cause: matching without a budget", "POST", "/v1/admin/causes", "{\"name\":\"c\",\"matching\":{\"rateBasisPoints\":1000}}", 400, "VALIDATION_FAILED", "matching.budgetPoints"),
                row("cause: match rate past ten times", "POST", "/v1/admin/causes", "{\"name\":\"c\",\"matching\":{\"rateBasisPoints\":100001,\"budgetPoints\":1}}", 400, "VALIDATION_FAILED", "matching.rateBasisPoints"),
                row("cause: unknown id", "GET", "/v1/admin/causes/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b", null, 404, "CAUSE_NOT_FOUND", null),
                row("causes: unknown status", "GET", "/v1/admin/causes?status=OPEN", null, 400, "VALIDATION_FAILED", "status"),
                row("causes: limit of none", "GET", "/v1/causes?limit=0", null, 400, "VALIDATION_FAILED", "limit"),
                row("matching budget: nothing added", "POST", "/v1/admin/causes/" + CAUSE + "/matching-budget", "{\"addPoints\":0}", 400, "VALIDATION_FAILED", "addPoints"),
                row("matching budget: without If-Match", "POST", "/v1/admin/causes/" + CAUSE + "/matching-budget", "{\"addPoints\":1}", 428, "IF_MATCH_REQUIRED", null),
                row("cause close: unknown cause", "POST", "/v1/admin/causes/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/close", null, 404, "CAUSE_NOT_FOUND", null),
                row("statement: from not a timestamp", "GET", STATEMENT + "?from=yesterday&to=2026-12-01T00:00:00Z", null, 400, "VALIDATION_FAILED", "from"),
                row("statement: the wrong way", "GET", STATEMENT + "?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", null, 400, "VALIDATION_FAILED", "to"),
                row("statement: no period", "GET", STATEMENT, null, 400, "VALIDATION_FAILED", "from"),
                row("statement: unknown cause", "GET", "/v1/admin/causes/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/statement?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z", null, 404, "CAUSE_NOT_FOUND", null),
                row("donation: unknown cause", "POST", "/v1/members/" + MEMBER + "/donations", "{\"causeId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b\",\"points\":1,\"channel\":\"POS\"}", 404, "CAUSE_NOT_FOUND", null),
                row("donation: cause not a UUID", "POST", "/v1/members/" + MEMBER + "/donations", "{\"causeId\":\"x\",\"points\":1,\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "causeId"),
                row("donation: nothing given", "POST", "/v1/members/" + MEMBER + "/donations", "{\"causeId\":\"" + CAUSE + "\",\"points\":0,\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "points"),
                row("donation: negative points", "POST", "/v1/members/" + MEMBER + "/donations", "{\"causeId\":\"" + CAUSE + "\",\"points\":-5,\"channel\":\"POS\"}", 400, "VALIDATION_FAILED", "points"),
                row("donation: above the available points", "POST", "/v1/members/" + MEMBER + "/donations", "{\"causeId\":\"" + CAUSE + "\",\"points\":1000,\"channel\":\"POS\"}", 409, "INSUFFICIENT_POINTS", null),
                row("donation: unknown member", "POST", "/v1/members/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b/donations", "{\"causeId\":\"" + CAUSE + "\",\"points\":1,\"channel\":\"POS\"}", 404, "MEMBER_NOT_FOUND", null),
                row("churn risk: asOf not a day", "GET", "/v1/members/" + MEMBER + "/churn-risk?asOf=yesterday", null, 400, "VALIDATION_FAILED", "asOf"),
                row("churn risk: NUL in asOf", "GET", "/v1/members/" + MEMBER + "/churn-risk?asOf=%00", null, 400, "VALIDATION_FAILED", "asOf"),
                row("churn risk: asOf in the future", "GET", "/v1/members/" + MEMBER + "/churn-risk?asOf=2999-01-01", null, 400, "VALIDATION_FAILED", "asOf"),
                row("churn risk: a five-digit year", "GET", "/v1/members/" + MEMBER + "/churn-risk?asOf=%2B10000-01-01", null, 400, "VALIDATION_FAILED", "asOf"),
                row("churn risk: asOf before 1900", "GET", "/v1/members/" + MEMBER + "/churn-risk?asOf=1899-12-31", null, 400, "VALIDATION_FAILED", "asOf"),
                row("churn model: version not a number", "GET", "/v1/admin/churn-models/abc", null, 404, "CHURN_MODEL_NOT_FOUND", null),
                row("churn model: negative version", "GET", "/v1/admin/churn-models/-1", null, 404, "CHURN_MODEL_NOT_FOUND", null),
                row("churn model: version past a long", "GET", "/v1/admin/churn-models/99999999999999999999", null, 404, "CHURN_MODEL_NOT_FOUND", null),
                row("churn models: limit of none", "GET", "/v1/admin/churn-models?limit=0", null, 400, "VALIDATION_FAILED", "limit"),
                row("churn models: forged cursor", "GET", "/v1/admin/churn-models?cursor=abc", null, 400, "VALIDATION_FAILED", "cursor"),
                row("churn training: asOf not a day", "POST", "/v1/admin/churn-models", "{\"asOf\":\"soon\"}", 400, "MALFORMED_REQUEST", "asOf"),
                row("churn training: asOf a number", "POST", "/v1/admin/churn-models", "{\"asOf\":20110901}", 400, "MALFORMED_REQUEST", "asOf"),
                row("churn training: unknown field", "POST", "/v1/admin/churn-models", "{\"asOf\":\"2011-09-01\",\"depth\":3}", 400, "MALFORMED_REQUEST", "depth"),
                row("churn training: asOf twice", "POST", "/v1/admin/churn-models", "{\"asOf\":\"2011-09-01\",\"asOf\":\"2011-10-01\"}", 400, "MALFORMED_REQUEST", "asOf"),
                row("churn training: asOf in the future", "POST", "/v1/admin/churn-models", "{\"asOf\":\"2999-01-01\"}", 400, "VALIDATION_FAILED", "asOf"),
                row("churn evaluation: no cutoff", "POST", "/v1/admin/churn-models/evaluations", "{}", 400, "VALIDATION_FAILED", "cutoff"),
                row("churn evaluation: NUL in cutoff", "POST", "/v1/admin/churn-models/evaluations", "{\"cutoff\":\"2011-09-01\\u0000\"}", 400, "MALFORMED_REQUEST", "cutoff"),
                row("churn evaluation: a date-time for a day", "POST", "/v1/admin/churn-models/evaluations", "{\"cutoff\":\"2011-09-01T00:00:00Z\"}", 400, "MALFORMED_REQUEST", "cutoff"),
                row("churn training: a padded day", "POST", "/v1/admin/churn-models", "{\"asOf\":\" 2011-09-01\"}", 400, "MALFORMED_REQUEST", "asOf"),
                row("churn evaluation: horizon not passed", "POST", "/v1/admin/churn-models/evaluations", "{\"cutoff\":\"2999-01-01\"}", 400, "VALIDATION_FAILED", "cutoff"),
                row("churn evaluation: nothing to learn from", "POST", "/v1/admin/churn-models/evaluations", "{\"cutoff\":\"1950-01-01\"}", 409, "CHURN_TRAINING_DATA_INSUFFICIENT", null),
                row("segment: no name", "POST", SEGMENTS, "{\"rule\":\"R>=4\"}", 400, "VALIDATION_FAILED", "name"),
                row("segment: NUL in name", "POST", SEGMENTS, "{\"name\":\"s\\u0000\",\"rule\":\"R>=4\"}", 400, "VALIDATION_FAILED", "name"),
                row("segment: name too long", "POST", SEGMENTS, "{\"name\":\"" + "s".repeat(101) + "\",\"rule\":\"R>=4\"}", 400, "VALIDATION_FAILED", "name"),
                row("segment: blank rule", "POST", SEGMENTS, "{\"name\":\"s\",\"rule\":\" \"}", 400, "VALIDATION_FAILED", "rule"),
                row("segment: rule a number", "POST", SEGMENTS, "{\"name\":\"s\",\"rule\":4}", 400, "MALFORMED_REQUEST", "rule"),
                row("segment: NUL in rule", "POST", SEGMENTS, "{\"name\":\"s\",\"rule\":\"R>=4\\u0000\"}", 400, "VALIDATION_FAILED", "rule"),
                row("segment: NUL in a rule's text", "POST", SEGMENTS, "{\"name\":\"s\",\"rule\":\"region = 'a\\u0000'\"}", 400, "VALIDATION_FAILED", "rule"),
                row("segment: unknown attribute", "POST", SEGMENTS, "{\"name\":\"s\",\"rule\":\"loyalty >= 4\"}", 400, "VALIDATION_FAILED", "rule"),
                row("segment: score out of range", "POST", SEGMENTS, "{\"name\":\"s\",\"rule\":\"R >= 6\"}", 400, "VALIDATION_FAILED", "rule"),
                row("segment: huge number", "POST", SEGMENTS, "{\"name\":\"s\",\"rule\":\"monetary > 99999999999999999999\"}", 400, "VALIDATION_FAILED", "rule"),
                row("segment: SQL in a rule", "POST", SEGMENTS, "{\"name\":\"s\",\"rule\":\"R >= 4; DELETE FROM members\"}", 400, "VALIDATION_FAILED", "rule"),
                row("segment: unknown field", "POST", SEGMENTS, "{\"name\":\"s\",\"rule\":\"R>=4\",\"owner\":\"me\"}", 400, "MALFORMED_REQUEST", "owner"),
                row("segment: rule twice", "POST", SEGMENTS, "{\"name\":\"s\",\"rule\":\"R>=4\",\"rule\":\"F>=4\"}", 400, "MALFORMED_REQUEST", "rule"),
                row("segment: not found", "GET", SEGMENTS + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62", null, 404, "SEGMENT_NOT_FOUND", null),
                row("segment: malformed id", "GET", SEGMENTS + "/not-a-segment", null, 404, "NOT_FOUND", null),
                row("segment change: unknown", "PUT", SEGMENTS + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62", "{\"name\":\"s\",\"rule\":\"R>=4\"}", 428, "IF_MATCH_REQUIRED", null),
                row("segment change: bad rule", "PUT", SEGMENTS + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62", "{\"name\":\"s\",\"rule\":\"R >>= 4\"}", 400, "VALIDATION_FAILED", "rule"),
                row("segments: limit past the most", "GET", SEGMENTS + "?limit=501", null, 400, "VALIDATION_FAILED", "limit"),
                row("segments: forged cursor", "GET", SEGMENTS + "?cursor=abc", null, 400, "VALIDATION_FAILED", "cursor"),
                row("segment members: unknown segment", "GET", SEGMENTS + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62/members", null, 404, "SEGMENT_NOT_FOUND", null),
                row("segment members: limit of none", "GET", SEGMENTS + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62/members?limit=0", null, 400, "VALIDATION_FAILED", "limit"),
                row("segment members: forged cursor", "GET", SEGMENTS + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62/members?cursor=%00", null, 400, "VALIDATION_FAILED", "cursor"),
                row("segment attributes: unknown member", "GET", "/v1/members/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a63/segment-attributes", null, 404, "MEMBER_NOT_FOUND", null),
                row("segment attribute run: not found", "GET", "/v1/admin/segment-attribute-runs/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62", null, 404, "SEGMENT_ATTRIBUTE_RUN_NOT_FOUND", null),
                row("survey: no questions", "POST", "/v1/admin/surveys", "{\"name\":\"s\",\"trigger\":\"PURCHASE\",\"questions\":[]}", 400, "VALIDATION_FAILED", "questions"),
                row("survey: unknown trigger", "POST", "/v1/admin/surveys", SURVEY_START.replace("PURCHASE", "BIRTHDAY") + "}", 400, "MALFORMED_REQUEST", "trigger"),
                row("survey: unknown question kind", "POST", "/v1/admin/surveys", SURVEY_START.replace("RATING", "STARS") + "}", 400, "MALFORMED_REQUEST", "questions[0].kind"),
                row("survey: a question id with spaces", "POST", "/v1/admin/surveys", SURVEY_START.replace("\"id\":\"q\"", "\"id\":\"my q\"") + "}", 400, "VALIDATION_FAILED", "questions[0].id"),
                row("survey: NUL in a question", "POST", "/v1/admin/surveys", SURVEY_START.replace("How?", "How\\u0000?") + "}", 400, "VALIDATION_FAILED", "questions[0].text"),
                row("survey: options of a rating", "POST", "/v1/admin/surveys", SURVEY_START.replace("\"text\":\"How?\"", "\"text\":\"How?\",\"options\":[\"a\",\"b\"]") + "}", 400, "VALIDATION_FAILED", "questions[0].options"),
                row("survey: a segment for a purchase survey", "POST", "/v1/admin/surveys", SURVEY_START + ",\"segmentId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62\"}", 400, "VALIDATION_FAILED", "segmentId"),
                row("survey: negative points", "POST", "/v1/admin/surveys", SURVEY_START + ",\"rewardPoints\":-5}", 400, "VALIDATION_FAILED", "rewardPoints"),
                row("survey: points past the most", "POST", "/v1/admin/surveys", SURVEY_START + ",\"rewardPoints\":99999999999999}", 400, "VALIDATION_FAILED", "rewardPoints"),
                row("survey: unknown field", "POST", "/v1/admin/surveys", SURVEY_START + ",\"anonymous\":true}", 400, "MALFORMED_REQUEST", "anonymous"),
                row("survey: not found", "GET", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a", null, 404, "SURVEY_NOT_FOUND", null),
                row("survey: invites as text", "POST", "/v1/admin/surveys", SURVEY_START + ",\"invites\":\"yes\"}", 400, "MALFORMED_REQUEST", "invites"),
                row("survey: a segment's survey inviting", "POST", "/v1/admin/surveys", SURVEY_START.replace("PURCHASE", "SEGMENT") + ",\"segmentId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62\",\"invites\":true}", 400, "VALIDATION_FAILED", "invites"),
                row("survey invitation: not found", "POST", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a/invitations", "{}", 404, "SURVEY_NOT_FOUND", null),
                row("survey invitation: malformed id", "POST", "/v1/admin/surveys" + "/not-a-survey/invitations", "{}", 404, "NOT_FOUND", null),
                row("survey invitation: words without a language", "POST", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a/invitations", "{\"contents\":{\"en\":{\"title\":\"t\",\"body\":\"b\"}}}", 400, "VALIDATION_FAILED", "defaultLanguage"),
                row("survey invitation: NUL in a title", "POST", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a/invitations", "{\"contents\":{\"en\":{\"title\":\"t\\u0000\",\"body\":\"b\"}},\"defaultLanguage\":\"en\"}", 400, "VALIDATION_FAILED", null),
                row("survey invitation: no words", "POST", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a/invitations", "{\"contents\":{},\"defaultLanguage\":\"en\"}", 400, "VALIDATION_FAILED", "contents"),
                row("survey invitation: unknown importance", "POST", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a/invitations", "{\"importance\":\"URGENT\"}", 400, "MALFORMED_REQUEST", "importance"),
                row("survey invitation: an audience of its own", "POST", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a/invitations", "{\"audience\":{\"tiers\":[\"GOLD\"]}}", 400, "MALFORMED_REQUEST", "audience"),
                row("survey invitation: importance twice", "POST", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a/invitations", "{\"importance\":\"NORMAL\",\"importance\":\"IMPORTANT\"}", 400, "MALFORMED_REQUEST", "importance"),
                row("earn-burn report: a day that is not", "GET", "/v1/admin/reports/earn-burn?from=2026-02-30", null, 400, "VALIDATION_FAILED", "from"),
                row("earn-burn report: a signed year", "GET", "/v1/admin/reports/earn-burn?from=-2026-01-01", null, 400, "VALIDATION_FAILED", "from"),
                row("earn-burn report: to before from", "GET", "/v1/admin/reports/earn-burn?from=2026-03-02&to=2026-03-01", null, 400, "VALIDATION_FAILED", "to"),
                row("earn-burn report: a period too long", "GET", "/v1/admin/reports/earn-burn?from=2020-01-01&to=2026-01-01", null, 400, "VALIDATION_FAILED", "to"),
                row("earn-burn report: NUL in partner", "GET", "/v1/admin/reports/earn-burn?partnerId=a%00b", null, 400, "VALIDATION_FAILED", "partnerId"),
                row("earn-burn report: a channel too long", "GET", "/v1/admin/reports/earn-burn?channel=" + "c".repeat(65), null, 400, "VALIDATION_FAILED", "channel"),
                row("earn-burn report: unknown tier", "GET", "/v1/admin/reports/earn-burn?tier=PLATINUM", null, 400, "VALIDATION_FAILED", "tier"),
                row("earn-burn report: tier with a control character", "GET", "/v1/admin/reports/earn-burn?tier=GOLD%07", null, 400, "VALIDATION_FAILED", "tier"),
                row("earn-burn report: a segment", "GET", "/v1/admin/reports/earn-burn?segmentId=0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62", null, 400, "VALIDATION_FAILED", "segmentId"),
                row("breakage report: a segment", "GET", "/v1/admin/reports/breakage?segmentId=x", null, 400, "VALIDATION_FAILED", "segmentId"),
                row("breakage report: a tier", "GET", "/v1/admin/reports/breakage?tier=GOLD", null, 400, "VALIDATION_FAILED", "tier"),
                row("sales report: customers of a segment not an id", "GET", "/v1/admin/reports/sales?by=CUSTOMER&segmentId=%00", null, 400, "VALIDATION_FAILED", "segmentId"),
                row("breakage report: NUL in channel", "GET", "/v1/admin/reports/breakage?channel=P%00S", null, 400, "VALIDATION_FAILED", "channel"),
                row("breakage report: a channel too long", "GET", "/v1/admin/reports/breakage?channel=" + "c".repeat(65), null, 400, "VALIDATION_FAILED", "channel"),
                row("sales report: unknown tier", "GET", "/v1/admin/reports/sales?tier=gold", null, 400, "VALIDATION_FAILED", "tier"),
                row("sales report: a control character in channel", "GET", "/v1/admin/reports/sales?channel=%1B", null, 400, "VALIDATION_FAILED", "channel"),
                row("sales report: customers of one tier", "GET", "/v1/admin/reports/sales?by=CUSTOMER&tier=GOLD", null, 400, "VALIDATION_FAILED", "tier"),
                row("sales report: customers of one channel", "GET", "/v1/admin/reports/sales?by=CUSTOMER&channel=POS", null, 400, "VALIDATION_FAILED", "channel"),
                row("liability report: unknown tier", "GET", "/v1/admin/reports/liability?tier=PLATINUM", null, 400, "VALIDATION_FAILED", "tier"),
                row("liability report: tier in lower case", "GET", "/v1/admin/reports/liability?tier=gold", null, 400, "VALIDATION_FAILED", "tier"),
                row("breakage report: a timestamp for a day", "GET", "/v1/admin/reports/breakage?from=2026-01-01T00:00:00Z", null, 400, "VALIDATION_FAILED", "from"),
                row("breakage report: NUL in partner", "GET", "/v1/admin/reports/breakage?partnerId=%00", null, 400, "VALIDATION_FAILED", "partnerId"),
                row("sales report: unknown breakdown", "GET", "/v1/admin/reports/sales?by=SEASON", null, 400, "VALIDATION_FAILED", "by"),
                row("sales report: limit of none", "GET", "/v1/admin/reports/sales?limit=0", null, 400, "VALIDATION_FAILED", "limit"),
                row("sales report: limit past the most", "GET", "/v1/admin/reports/sales?limit=501", null, 400, "VALIDATION_FAILED", "limit"),
                row("sales report: limit as text", "GET", "/v1/admin/reports/sales?limit=ten", null, 400, "VALIDATION_FAILED", "limit"),
                row("sales report: customers of one partner", "GET", "/v1/admin/reports/sales?by=CUSTOMER&partnerId=p", null, 400, "VALIDATION_FAILED", "partnerId"),
                row("sales report: customers over a year", "GET", "/v1/admin/reports/sales?by=CUSTOMER&from=2025-01-01&to=2025-12-31", null, 400, "VALIDATION_FAILED", "to"),
                row("sales report: NUL in partner", "GET", "/v1/admin/reports/sales?partnerId=%00", null, 400, "VALIDATION_FAILED", "partnerId"),
                row("members report: a day that is not", "GET", "/v1/admin/reports/members?from=2026-13-01", null, 400, "VALIDATION_FAILED", "from"),
                row("members report: to before from", "GET", "/v1/admin/reports/members?from=2026-03-02&to=2026-03-01", null, 400, "VALIDATION_FAILED", "to"),
                row("members report: a period too long", "GET", "/v1/admin/reports/members?from=2020-01-01&to=2026-01-01", null, 400, "VALIDATION_FAILED", "to"),
                row("members report: repurchase days of none", "GET", "/v1/admin/reports/members?repurchaseDays=0", null, 400, "VALIDATION_FAILED", "repurchaseDays"),
                row("members report: repurchase days past the most", "GET", "/v1/admin/reports/members?repurchaseDays=32", null, 400, "VALIDATION_FAILED", "repurchaseDays"),
                row("members report: repurchase days negative", "GET", "/v1/admin/reports/members?repurchaseDays=-5", null, 400, "VALIDATION_FAILED", "repurchaseDays"),
                row("members report: repurchase days huge", "GET", "/v1/admin/reports/members?repurchaseDays=99999999999999999999", null, 400, "VALIDATION_FAILED", "repurchaseDays"),
                row("members report: repurchase days as text", "GET", "/v1/admin/reports/members?repurchaseDays=thirty", null, 400, "VALIDATION_FAILED", "repurchaseDays"),
                row("members report: NUL in repurchase days", "GET", "/v1/admin/reports/members?repurchaseDays=3%000", null, 400, "VALIDATION_FAILED", "repurchaseDays"),
                row("liability report: segment not an id", "GET", "/v1/admin/reports/liability?segmentId=x", null, 400, "VALIDATION_FAILED", "segmentId"),
                row("liability report: a signed segment id", "GET", "/v1/admin/reports/liability?segmentId=%2B193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62", null, 400, "VALIDATION_FAILED", "segmentId"),
                row("liability report: a shortened segment id", "GET", "/v1/admin/reports/liability?segmentId=1-2-3-4-5", null, 400, "VALIDATION_FAILED", "segmentId"),
                row("liability report: unknown segment", "GET", "/v1/admin/reports/liability?segmentId=0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62", null, 404, "SEGMENT_NOT_FOUND", null),
                row("members report: NUL in segment", "GET", "/v1/admin/reports/members?segmentId=%00", null, 400, "VALIDATION_FAILED", "segmentId"),
                row("members report: unknown segment", "GET", "/v1/admin/reports/members?segmentId=0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62", null, 404, "SEGMENT_NOT_FOUND", null),
                row("sales report: a segment of products", "GET", "/v1/admin/reports/sales?by=PRODUCT&segmentId=0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62", null, 400, "VALIDATION_FAILED", "segmentId"),
                row("sales report: a segment of hours", "GET", "/v1/admin/reports/sales?by=WEEKDAY_HOUR&segmentId=0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62", null, 400, "VALIDATION_FAILED", "segmentId"),
                row("sales report: customers of an unknown segment", "GET", "/v1/admin/reports/sales?by=CUSTOMER&segmentId=0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a62", null, 404, "SEGMENT_NOT_FOUND", null),
                row("survey close: not found", "POST", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a/close", null, 404, "SURVEY_NOT_FOUND", null),
                row("survey report: no period", "GET", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a/report", null, 400, "VALIDATION_FAILED", "from"),
                row("survey report: NUL in store", "GET", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a/report?from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z&store=%00", null, 400, "VALIDATION_FAILED", "store"),
                row("survey report: segment not an id", "GET", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a/report?from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z&segmentId=x", null, 400, "VALIDATION_FAILED", "segmentId"),
                row("survey report: not found", "GET", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a/report?from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z", null, 404, "SURVEY_NOT_FOUND", null),
                row("survey text answers: NUL in search", "GET", "/v1/admin/surveys" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a/text-answers?question=q&search=%00", null, 400, "VALIDATION_FAILED", "search"),
                row("survey answer: unknown survey", "POST", "/v1/members/" + MEMBER + "/survey-responses", "{\"surveyId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a\",\"answers\":{\"q\":5}}", 404, "SURVEY_NOT_FOUND", null),
                row("survey answer: no answers", "POST", "/v1/members/" + MEMBER + "/survey-responses", "{\"surveyId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a\",\"answers\":{}}", 400, "VALIDATION_FAILED", "answers"),
                row("survey answer: answers a list", "POST", "/v1/members/" + MEMBER + "/survey-responses", "{\"surveyId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a6a\",\"answers\":[5]}", 400, "MALFORMED_REQUEST", "answers"),
                row("survey answer: survey not an id", "POST", "/v1/members/" + MEMBER + "/survey-responses", "{\"surveyId\":\"s\",\"answers\":{\"q\":5}}", 400, "MALFORMED_REQUEST", "surveyId"),
                row("bookable: no store", "POST", "/v1/admin/bookables", BOOKABLE_START.replace("\"store\":\"S\",", "") + "}", 400, "VALIDATION_FAILED", "store"),
                row("bookable: NUL in service", "POST", "/v1/admin/bookables", BOOKABLE_START.replace("Fitting", "Fit\\u0000ting") + "}", 400, "VALIDATION_FAILED", "service"),
                row("bookable: capacity of none", "POST", "/v1/admin/bookables", BOOKABLE_START.replace("\"capacity\":2", "\"capacity\":0") + "}", 400, "VALIDATION_FAILED", "capacity"),
                row("bookable: capacity past the most", "POST", "/v1/admin/bookables", BOOKABLE_START.replace("\"capacity\":2", "\"capacity\":10001") + "}", 400, "VALIDATION_FAILED", "capacity"),
                row("bookable: capacity past an int", "POST", "/v1/admin/bookables", BOOKABLE_START.replace("\"capacity\":2", "\"capacity\":99999999999") + "}", 400, "MALFORMED_REQUEST", "capacity"),
                row("bookable: slot length as text", "POST", "/v1/admin/bookables", BOOKABLE_START.replace("\"slotMinutes\":30", "\"slotMinutes\":\"thirty\"") + "}", 400, "MALFORMED_REQUEST", "slotMinutes"),
                row("bookable: unknown day", "POST", "/v1/admin/bookables", BOOKABLE_START.replace("MONDAY", "FUNDAY") + "}", 400, "MALFORMED_REQUEST", "openingHours[0].day"),
                row("bookable: an hour past 24", "POST", "/v1/admin/bookables", BOOKABLE_START.replace("10:00", "25:00") + "}", 400, "MALFORMED_REQUEST", "openingHours[0].opens"),
                row("bookable: closes before it opens", "POST", "/v1/admin/bookables", BOOKABLE_START.replace("12:00", "09:00") + "}", 400, "VALIDATION_FAILED", "openingHours[0].closes"),
                row("bookable: no opening hours", "POST", "/v1/admin/bookables", "{\"store\":\"S\",\"service\":\"F\",\"capacity\":2,\"slotMinutes\":30,\"openingHours\":[]}", 400, "VALIDATION_FAILED", "openingHours"),
                row("bookable: unknown field", "POST", "/v1/admin/bookables", BOOKABLE_START + ",\"price\":5}", 400, "MALFORMED_REQUEST", "price"),
                row("bookable: capacity twice", "POST", "/v1/admin/bookables", BOOKABLE_START + ",\"capacity\":3}", 400, "MALFORMED_REQUEST", "capacity"),
                row("bookable: window past a year", "POST", "/v1/admin/bookables", BOOKABLE_START + ",\"bookingWindowDays\":366}", 400, "VALIDATION_FAILED", "bookingWindowDays"),
                row("bookable: not found", "GET", "/v1/admin/bookables" + "/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a66", null, 404, "BOOKABLE_NOT_FOUND", null),
                row("bookables: forged cursor", "GET", "/v1/admin/bookables" + "?cursor=abc", null, 400, "VALIDATION_FAILED", "cursor"),
                row("availability: from not a day", "GET", "/v1/bookables/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a66/availability?from=monday", null, 400, "VALIDATION_FAILED", "from"),
                row("availability: NUL in to", "GET", "/v1/bookables/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a66/availability?to=%00", null, 400, "VALIDATION_FAILED", "to"),
                row("availability: to before from", "GET", "/v1/bookables/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a66/availability?from=2030-01-02&to=2030-01-01", null, 400, "VALIDATION_FAILED", "to"),
                row("availability: a year at once", "GET", "/v1/bookables/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a66/availability?from=2030-01-01&to=2030-12-31", null, 400, "VALIDATION_FAILED", "to"),
                row("availability: a signed year", "GET", "/v1/bookables/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a66/availability?to=%2B999999999-12-31", null, 400, "VALIDATION_FAILED", "to"),
                row("availability: a year before the first", "GET", "/v1/bookables/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a66/availability?from=-5000-01-01", null, 400, "VALIDATION_FAILED", "from"),
                row("bookable: a slot of a whole day", "POST", "/v1/admin/bookables", BOOKABLE_START.replace("\"slotMinutes\":30", "\"slotMinutes\":1440") + "}", 400, "VALIDATION_FAILED", "openingHours[0]"),
                row("bookable: an opening in seconds", "POST", "/v1/admin/bookables", BOOKABLE_START.replace("10:00", "10:00:30") + "}", 400, "VALIDATION_FAILED", "openingHours[0]"),
                row("availability: unknown bookable", "GET", "/v1/bookables/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a66/availability", null, 404, "BOOKABLE_NOT_FOUND", null),
                row("booking: unknown bookable", "POST", "/v1/members/" + MEMBER + "/reservations", "{\"bookableId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a66\",\"startsAt\":\"2030-01-01T10:00:00Z\"}", 404, "BOOKABLE_NOT_FOUND", null),
                row("booking: bookable not an id", "POST", "/v1/members/" + MEMBER + "/reservations", "{\"bookableId\":\"fitting\",\"startsAt\":\"2030-01-01T10:00:00Z\"}", 400, "MALFORMED_REQUEST", "bookableId"),
                row("booking: no start", "POST", "/v1/members/" + MEMBER + "/reservations", "{\"bookableId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a66\"}", 400, "VALIDATION_FAILED", "startsAt"),
                row("booking: start not a time", "POST", "/v1/members/" + MEMBER + "/reservations", "{\"bookableId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a66\",\"startsAt\":\"tomorrow\"}", 400, "MALFORMED_REQUEST", "startsAt"),
                row("booking: start a number", "POST", "/v1/members/" + MEMBER + "/reservations", "{\"bookableId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a66\",\"startsAt\":1893492000}", 400, "MALFORMED_REQUEST", "startsAt"),
                row("booking: unknown member", "POST", "/v1/members/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a67/reservations", "{\"bookableId\":\"0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a66\",\"startsAt\":\"2030-01-01T10:00:00Z\"}", 404, "MEMBER_NOT_FOUND", null),
                row("reservation change: unknown", "POST", "/v1/members/" + MEMBER + "/reservations/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a68/change", "{\"startsAt\":\"2030-01-01T10:00:00Z\"}", 404, "RESERVATION_NOT_FOUND", null),
                row("reservation change: NUL in start", "POST", "/v1/members/" + MEMBER + "/reservations/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a68/change", "{\"startsAt\":\"2030-01-01T10:00:00Z\\u0000\"}", 400, "MALFORMED_REQUEST", "startsAt"),
                row("reservation cancellation: unknown", "POST", "/v1/members/" + MEMBER + "/reservations/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a68/cancellation", null, 404, "RESERVATION_NOT_FOUND", null),
                row("reservation: unknown", "GET", "/v1/members/" + MEMBER + "/reservations/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a68", null, 404, "RESERVATION_NOT_FOUND", null),
                row("reservations: limit past the most", "GET", "/v1/members/" + MEMBER + "/reservations?limit=201", null, 400, "VALIDATION_FAILED", "limit"),
                row("attendance: unknown outcome", "POST", "/v1/admin/reservations/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a68/attendance", "{\"outcome\":\"MAYBE\"}", 400, "MALFORMED_REQUEST", "outcome"),
                row("attendance: unknown reservation", "POST", "/v1/admin/reservations/0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a68/attendance", "{\"outcome\":\"NO_SHOW\"}", 404, "RESERVATION_NOT_FOUND", null),
                row("segment attribute runs: limit not a number", "GET", "/v1/admin/segment-attribute-runs?limit=ten", null, 400, "VALIDATION_FAILED", "limit"),
                row("donation: points twice", "POST", "/v1/members/" + MEMBER + "/donations", "{\"causeId\":\"" + CAUSE + "\",\"points\":1,\"points\":2,\"channel\":\"POS\"}", 400, "MALFORMED_REQUEST", "points"));
    }

    private static Arguments row(String caseName, String method, String path, String body, int status, String code, String field) {
        return Arguments.of(caseName, method, path, body, status, code, field);
    }

    @ParameterizedTest(name = "{0} -> {4} {5} {6}")
    @MethodSource("badRequests")
    void shouldRefuseBadInputWithAProblemAndChangeNothing(String caseName, String method, String path, String body,
            int status, String code, String field) {
        Fixtures target = fixtures();
        Snapshot before = snapshot(target);
        String key = "bad-input-" + UUID.randomUUID();

        assertProblem(send(method, target.fill(path), body == null ? null : target.fill(body), key), status, code, field);

        assertEquals(before, snapshot(target), caseName + " changed something");
        assertEquals(0, Database.single(pool, "SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", key)
                .getLong(0), caseName + " stored an idempotency key");
    }

    /** A path parameter added later gets the text rule without a row: {@code %00} in each one of each operation. */
    @Test
    void shouldRefuseANulInEveryPathParameterOfEveryOperation() {
        Fixtures target = fixtures();
        List<String> checked = new ArrayList<>();
        forEachOperation((method, path, operation) -> {
            Matcher parameters = PATH_PARAMETER.matcher(path);
            while (parameters.find()) {
                String refused = parameters.group(1);
                String filled = fillEachParameter(path, target, refused);
                Snapshot before = snapshot(target);
                // A body, where the operation takes one, so that the media type matches and the path is what is refused.
                String body = operation.get("requestBody") != null ? "{}" : null;
                assertProblem(send(method, filled, body, "nul-" + UUID.randomUUID()), 400, "VALIDATION_FAILED", refused);
                assertEquals(before, snapshot(target), method + " " + filled + " changed something");
                checked.add(method + " " + path + " " + refused);
            }
        });
        assertFalse(checked.isEmpty(), "The OpenAPI document lists no path parameters");
    }

    /** Likewise for query parameters, and for an unknown field in every JSON body. */
    @Test
    void shouldRefuseControlCharactersInEveryQueryParameterAndUnknownFieldsInEveryBody() {
        Fixtures target = fixtures();
        List<String> checked = new ArrayList<>();
        forEachOperation((method, path, operation) -> {
            String filled = fillEachParameter(path, target, null);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> parameters = (List<Map<String, Object>>) operation.getOrDefault("parameters", List.of());
            for (Map<String, Object> parameter : parameters) {
                if ("query".equals(parameter.get("in"))) {
                    String name = (String) parameter.get("name");
                    Snapshot before = snapshot(target);
                    assertProblem(send(method, filled + "?" + name + "=%01", null, "query-" + UUID.randomUUID()),
                            400, "VALIDATION_FAILED", name);
                    assertEquals(before, snapshot(target), method + " " + filled + " changed something");
                    checked.add(method + " " + path + "?" + name);
                }
            }
            if (operation.get("requestBody") != null) {
                Snapshot before = snapshot(target);
                assertProblem(send(method, filled, "{\"notAField\":1}", "body-" + UUID.randomUUID()),
                        400, "MALFORMED_REQUEST", "notAField");
                assertEquals(before, snapshot(target), method + " " + filled + " changed something");
                checked.add(method + " " + path + " body");
            }
        });
        assertTrue(checked.stream().anyMatch(check -> check.contains("?")), "No query parameter was checked: " + checked);
        assertTrue(checked.stream().anyMatch(check -> check.endsWith(" body")), "No body was checked: " + checked);
    }

    private interface OperationCheck {
        void check(String method, String path, Map<String, Object> operation);
    }

    /** Every operation of the API under /v1, as the service's own OpenAPI document lists it. */
    private static void forEachOperation(OperationCheck check) {
        JsonPath document = RestAssured.given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = document.getMap("paths");
        assertNotNull(paths, "The OpenAPI document lists no paths");
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            if (!path.getKey().startsWith("/v1/")) {
                continue;
            }
            for (String method : List.of("get", "post", "put", "patch", "delete")) {
                if (path.getValue().get(method) instanceof Map<?, ?> operation) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> fields = (Map<String, Object>) operation;
                    check.check(method.toUpperCase(), path.getKey(), fields);
                }
            }
        }
    }

    /** The path with each parameter filled from the fixtures, except {@code refused}, which gets {@code %00}. */
    private static String fillEachParameter(String path, Fixtures target, String refused) {
        Matcher parameters = PATH_PARAMETER.matcher(path);
        StringBuilder filled = new StringBuilder();
        while (parameters.find()) {
            String name = parameters.group(1);
            parameters.appendReplacement(filled, name.equals(refused) ? "%00" : target.valueOf(name));
        }
        parameters.appendTail(filled);
        return filled.toString();
    }

    private static Response send(String method, String path, String body, String idempotencyKey) {
        RequestSpecification request = given().urlEncodingEnabled(false).header("Idempotency-Key", idempotencyKey);
        if (body != null) {
            request.contentType("application/json").body(body);
        }
        return request.request(method, path);
    }

    private Snapshot snapshot(Fixtures target) {
        Row row = Database.single(pool, """
                SELECT (SELECT count(*) FROM transfers t WHERE t.member_id = a.member_id) AS member_transfers,
                       a.posted, a.held,
                       (SELECT h.status FROM holds h WHERE h.hold_id = $2) AS hold_status,
                       (SELECT m.erased_at IS NOT NULL FROM members m WHERE m.member_id = a.member_id) AS member_erased,
                       (SELECT m.version FROM members m WHERE m.member_id = a.member_id) AS member_version,
                       (SELECT count(*) FROM members) AS members,
                       (SELECT count(*) FROM partners) AS partners,
                       (SELECT count(*) FROM partner_keys) AS partner_keys,
                       (SELECT count(*) FROM audit_log) AS audit_entries,
                       (SELECT count(*) FROM campaign_versions) AS campaign_versions,
                       (SELECT count(*) FROM coupon_definitions) AS coupon_definitions,
                       (SELECT count(*) FROM coupon_batches) AS coupon_batches,
                       (SELECT count(*) FROM coupons WHERE batch_id IS NULL) AS coupons_issued,
                       (SELECT count(*) FROM coupons WHERE status <> 'ISSUED') AS coupons_in_use,
                       (SELECT count(*) FROM offers) AS offers,
                       (SELECT count(*) || ':' || COALESCE(max(changed_at)::text, '') FROM member_contact_consents) AS consents,
                       (SELECT count(*) || ':' || COALESCE(max(expires_at)::text, '') FROM webhook_secrets)
                           || ':' || (SELECT count(*) FROM webhooks)
                           || ':' || (SELECT count(*) FROM announcements) || ':' || (SELECT count(*) FROM member_messages)
                           || ':' || (SELECT count(*) || ':' || COALESCE(sum(stock), 0) || ':' || COALESCE(sum(claimed), 0)
                                        || ':' || count(*) FILTER (WHERE status = 'RETIRED') FROM rewards)
                           || ':' || (SELECT count(*) || ':' || count(*) FILTER (WHERE status = 'CLAIMED') FROM reward_claims)
                           || ':' || (SELECT count(*) || ':' || COALESCE(sum(balance), 0) || ':' || COALESCE(sum(match_budget), 0)
                                        || ':' || count(*) FILTER (WHERE status = 'CLOSED') FROM causes)
                           || ':' || (SELECT count(*) FROM churn_models)
                           || ':' || (SELECT count(*) || ':' || COALESCE(sum(version), 0) FROM segments)
                           || ':' || (SELECT count(*) FROM segment_attribute_runs)
                           || ':' || (SELECT count(*) FROM bookables) || ':' || (SELECT count(*) FROM reservation_requests)
                           || ':' || (SELECT count(*) || ':' || COALESCE(sum(version), 0) FROM reservations)
                           || ':' || (SELECT COALESCE(sum(booked), 0) FROM reservation_slots)
                           || ':' || (SELECT count(*) || ':' || count(*) FILTER (WHERE status = 'CLOSED') FROM surveys)
                           || ':' || (SELECT count(*) FROM survey_responses) AS webhooks
                  FROM member_accounts a WHERE a.member_id = $1""", target.memberId(), UUID.fromString(target.holdId()));
        return new Snapshot(row.getLong("member_transfers"), row.getLong("posted"), row.getLong("held"),
                row.getString("hold_status"), row.getBoolean("member_erased"), row.getLong("member_version"), row.getLong("members"),
                row.getLong("partners"), row.getLong("partner_keys"), row.getLong("audit_entries"),
                row.getLong("campaign_versions"), row.getLong("coupon_definitions"), row.getLong("coupon_batches"),
                row.getLong("coupons_issued"), row.getLong("coupons_in_use"), row.getLong("offers"), row.getString("consents"),
                row.getString("webhooks"));
    }
}
