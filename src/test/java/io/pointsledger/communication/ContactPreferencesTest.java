package io.pointsledger.communication;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.MovableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ContactPreferencesTest {

    @Inject
    Pool pool;

    @Inject
    UnsubscribeLinks links;

    @Inject
    ContactPreferencesService preferences;

    @Inject
    MovableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static Map<String, Object> stated(boolean email, boolean sms, boolean push, String preferred) {
        Map<String, Object> body = new HashMap<>();
        body.put("consents", Map.of("email", email, "sms", sms, "push", push));
        body.put("preferredChannel", preferred);
        body.put("quietHours", Map.of("from", "22:00", "until", "08:00"));
        body.put("source", "MEMBER_APP");
        return body;
    }

    /** States preferences as read now: If-Match is the version a GET gives. */
    private static Response state(UUID memberId, Map<String, Object> body) {
        return stateAt(memberId, version(memberId), body);
    }

    private static Response stateAt(UUID memberId, String version, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).header("If-Match", version).body(body)
                .put("/v1/members/{memberId}/contact-preferences", memberId);
    }

    private static String version(UUID memberId) {
        return given().get("/v1/members/{memberId}/contact-preferences", memberId).then().statusCode(200).extract().header("ETag");
    }

    /** As a mail client does for RFC 8058: no key, a form body. */
    private static Response click(String token) {
        return RestAssured.given().contentType(ContentType.URLENC).formParam("List-Unsubscribe", "One-Click")
                .post("/v1/unsubscribe/{token}", token);
    }

    @Test
    void shouldGiveANewMemberNoConsentAtAll() {
        UUID memberId = LedgerApi.enroll();

        given().get("/v1/members/{memberId}/contact-preferences", memberId).then().statusCode(200)
                .body("consents.granted", equalTo(List.of(false, false, false)))
                .body("consents.channel", equalTo(List.of("EMAIL", "SMS", "PUSH")))
                .body("consents[0].changedAt", nullValue()).body("preferredChannel", nullValue())
                .body("quietHours", nullValue());
    }

    @Test
    void shouldKeepWhenAndThroughWhatEachConsentLastChanged() {
        UUID memberId = LedgerApi.enroll();
        state(memberId, stated(true, false, true, "PUSH")).then().statusCode(200)
                .body("consents.granted", equalTo(List.of(true, false, true))).body("preferredChannel", equalTo("PUSH"))
                .body("quietHours.from", equalTo("22:00:00")).body("consents[0].source", equalTo("MEMBER_APP"));
        String emailGivenAt = given().get("/v1/members/{memberId}/contact-preferences", memberId).then()
                .extract().path("consents[0].changedAt");

        clock.moveForward(Duration.ofMinutes(5));
        Map<String, Object> smsToo = stated(true, true, true, "SMS");
        smsToo.put("source", "STORE");
        state(memberId, smsToo).then().statusCode(200)
                .body("consents[0].changedAt", equalTo(emailGivenAt)).body("consents[0].source", equalTo("MEMBER_APP"))
                .body("consents[1].granted", equalTo(true)).body("consents[1].source", equalTo("STORE"))
                .body("consents[1].changedAt", notNullValue());

        List<Row> audits = Database.all(pool, """
                SELECT details::text FROM audit_log WHERE action = 'CONTACT_PREFERENCES_CHANGED' AND target = $1
                 ORDER BY sequence""", memberId.toString());
        assertEquals(2, audits.size());
        assertTrue(audits.get(1).getString(0).contains("\"SMS\": true") && !audits.get(1).getString(0).contains("EMAIL"),
                "only the consent that changed is audited: " + audits.get(1).getString(0));
    }

    @Test
    void shouldRefuseAPreferredChannelWithoutConsent() {
        UUID memberId = LedgerApi.enroll();

        state(memberId, stated(true, false, false, "SMS")).then().statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED")).body("violations[0].field", equalTo("preferredChannel"));
        given().get("/v1/members/{memberId}/contact-preferences", memberId).then().body("consents[0].granted", equalTo(false));
    }

    @Test
    void shouldNeverChooseAChannelWithoutConsentForAStoredMemberEvenForAnImportantMessage() {
        UUID memberId = LedgerApi.enroll();
        state(memberId, stated(true, false, false, "EMAIL")).then().statusCode(200);

        ContactPreferences stored = preferences.preferences(memberId).await().atMost(Duration.ofSeconds(10));

        assertEquals(List.of(ContactChannel.EMAIL), DeliveryChannels.choose(stored, MessageImportance.IMPORTANT));
    }

    @Test
    void shouldWithdrawTheConsentOfTheLinksChannelOnceWithoutAKeyAndAuditIt() {
        UUID memberId = LedgerApi.enroll();
        state(memberId, stated(true, true, false, "EMAIL")).then().statusCode(200);
        String token = links.tokenFor(memberId, ContactChannel.EMAIL);

        click(token).then().statusCode(200).body("channel", equalTo("EMAIL")).body("unsubscribedAt", notNullValue());
        click(token).then().statusCode(410).body("code", equalTo("UNSUBSCRIBE_LINK_USED"));

        given().get("/v1/members/{memberId}/contact-preferences", memberId).then()
                .body("consents.granted", equalTo(List.of(false, true, false)))
                .body("consents[0].source", equalTo("UNSUBSCRIBE_LINK")).body("preferredChannel", nullValue());
        assertEquals(1L, Database.single(pool, """
                SELECT count(*) FROM audit_log WHERE action = 'CONTACT_UNSUBSCRIBED' AND target = $1""",
                memberId.toString()).getLong(0));
    }

    @Test
    void shouldNotGrantAgainAConsentWithdrawnByALinkFromAStatementReadBeforeTheClick() {
        UUID memberId = LedgerApi.enroll();
        state(memberId, stated(true, false, true, "EMAIL")).then().statusCode(200).header("ETag", "\"1\"");
        String readBeforeTheClick = version(memberId);

        click(links.tokenFor(memberId, ContactChannel.EMAIL)).then().statusCode(200);
        // The app's screen, loaded before the click, changes only the quiet hours and sends the rest as it read it.
        stateAt(memberId, readBeforeTheClick, stated(true, false, true, "EMAIL")).then().statusCode(412)
                .body("code", equalTo("CONTACT_PREFERENCES_VERSION_MISMATCH"));

        given().get("/v1/members/{memberId}/contact-preferences", memberId).then().header("ETag", "\"2\"")
                .body("consents[0].granted", equalTo(false)).body("preferredChannel", nullValue());
        stateAt(memberId, "\"0\"", stated(true, false, false, null)).then().statusCode(412);
        given().contentType(ContentType.JSON).body(stated(true, false, false, null))
                .put("/v1/members/{memberId}/contact-preferences", memberId).then().statusCode(428)
                .body("code", equalTo("IF_MATCH_REQUIRED"));
    }

    @Test
    void shouldRefuseALinkThatWasTamperedWithOrHasExpired() {
        UUID memberId = LedgerApi.enroll();
        state(memberId, stated(true, true, true, null)).then().statusCode(200);
        String token = links.tokenFor(memberId, ContactChannel.SMS);
        String otherMember = links.tokenFor(LedgerApi.enroll(), ContactChannel.SMS);
        String forged = otherMember.substring(0, otherMember.indexOf('.')) + token.substring(token.indexOf('.'));
        // A character inside the signature, and the last one's unused low bits: both must be refused.
        int inside = token.indexOf('.') + 5;
        String flipped = token.substring(0, inside) + (token.charAt(inside) == 'A' ? 'B' : 'A') + token.substring(inside + 1);
        char last = token.charAt(token.length() - 1);
        String respelled = token.substring(0, token.length() - 1) + (char) (last + 1);

        for (String bad : List.of(forged, flipped, respelled, "x", token.replace(".", ""), "a".repeat(200))) {
            click(bad).then().statusCode(400).body("code", equalTo("UNSUBSCRIBE_LINK_INVALID"));
        }
        clock.moveForward(Duration.ofDays(366));
        click(token).then().statusCode(400).body("code", equalTo("UNSUBSCRIBE_LINK_INVALID"));

        given().get("/v1/members/{memberId}/contact-preferences", memberId).then()
                .body("consents.granted", equalTo(List.of(true, true, true)));
    }

    @Test
    void shouldMakeEveryLinkDifferent() {
        UUID memberId = LedgerApi.enroll();
        assertNotEquals(links.tokenFor(memberId, ContactChannel.PUSH), links.tokenFor(memberId, ContactChannel.PUSH));
    }
}
