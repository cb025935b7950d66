package io.pointsledger.support;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The test side of the local SMTP server and SMS/push provider the embedded services start (a
 * real GreenMail and a real HTTP server): what they received, and failures to stage. Spoken to
 * over HTTP, as the servers live in the embedded services' class loader.
 */
public final class LocalMessageProviders {

    private LocalMessageProviders() {
    }

    private static String base() {
        String smsUrl = ConfigProvider.getConfig().getValue("points-ledger.communication.sms.url", String.class);
        return smsUrl.substring(0, smsUrl.length() - "/sms".length());
    }

    /** The emails the SMTP server received for {@code address}, oldest first: subject, text, html, listUnsubscribe… */
    public static List<Map<String, Object>> mails(String address) {
        return RestAssured.given().baseUri(base()).queryParam("to", address).get("/mail").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    /** The SMS messages the provider received for {@code phone}, oldest first. */
    public static List<Map<String, Object>> sms(String phone) {
        return received("sms", phone);
    }

    /** The pushes the provider received for {@code memberId}, oldest first. */
    public static List<Map<String, Object>> pushes(String memberId) {
        return received("push", memberId);
    }

    private static List<Map<String, Object>> received(String channel, String to) {
        JsonPath answer = RestAssured.given().baseUri(base()).queryParam("channel", channel).queryParam("to", to).get("/received")
                .then().statusCode(200).extract().jsonPath();
        return answer.getList("$");
    }

    /**
     * How many distinct messages {@code received} holds: delivery is at least once, and a message
     * whose first sending timed out may arrive twice, under one message id.
     */
    public static long distinct(List<Map<String, Object>> received) {
        return received.stream().map(message -> message.get("messageId")).distinct().count();
    }

    /** The next {@code times} provider requests carrying a message to {@code to} are answered {@code status}. */
    public static void failNext(String to, int times, int status) {
        RestAssured.given().baseUri(base()).queryParam("to", to).queryParam("times", times).queryParam("status", status)
                .post("/fail").then().statusCode(204);
    }
}
