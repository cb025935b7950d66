package io.pointsledger.support;

import static io.pointsledger.support.LedgerApi.given;

import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;

/** Partner set-up for tests: a partner with the given scopes and one API key. */
public final class Partners {

    private Partners() {
    }

    public record TestPartner(String partnerId, String apiKey, String keyId) {
    }

    public static TestPartner create(int rateLimitPerSecond, String... scopes) {
        String partnerId = given().contentType(ContentType.JSON)
                .body(Map.of("name", "Partner " + String.join("+", scopes), "scopes", List.of(scopes),
                        "rateLimitPerSecond", rateLimitPerSecond))
                .post("/v1/admin/partners")
                .then().statusCode(201)
                .extract().path("partnerId");
        var key = given().post("/v1/admin/partners/{partnerId}/keys", partnerId)
                .then().statusCode(201)
                .extract().jsonPath();
        return new TestPartner(partnerId, key.getString("apiKey"), key.getString("keyId"));
    }
}
