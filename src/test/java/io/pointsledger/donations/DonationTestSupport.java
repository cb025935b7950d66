package io.pointsledger.donations;

import static io.pointsledger.support.LedgerApi.given;

import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Causes as the tests make them. */
public final class DonationTestSupport {

    private DonationTestSupport() {
    }

    /** A cause matching {@code rateBasisPoints} of each donation until {@code budgetPoints} are matched. */
    public static UUID createCause(int rateBasisPoints, long budgetPoints) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Winter appeal");
        body.put("matching", Map.of("rateBasisPoints", rateBasisPoints, "budgetPoints", budgetPoints));
        return UUID.fromString(given().contentType(ContentType.JSON).body(body).post("/v1/admin/causes")
                .then().statusCode(201).extract().path("causeId"));
    }
}
