package io.pointsledger.campaigns;

import static io.pointsledger.campaigns.CampaignAdminTest.create;
import static io.pointsledger.support.LedgerApi.given;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Campaigns and purchases as the campaign tests write them. */
final class TestCampaigns {

    private TestCampaigns() {
    }

    /** Ends every campaign a test made (each named a SKU of its own, so none may outlive its test) and forgets them. */
    static void endAll(List<String> created) {
        created.forEach(campaignId -> given().post("/v1/admin/campaigns/{id}/end", campaignId).then().statusCode(200));
        created.clear();
    }

    /** Creates and activates {@code definition}; its id is added to {@code created}, for the test to end it. */
    static String activate(List<String> created, Map<String, Object> definition) {
        String campaignId = create(definition).then().statusCode(201).extract().path("campaignId");
        created.add(campaignId);
        given().post("/v1/admin/campaigns/{id}/activate", campaignId).then().statusCode(200);
        return campaignId;
    }

    static Map<String, Object> campaign(String name, int priority, boolean exclusive, Map<String, Object> conditions,
            Map<String, Object> effect) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("name", name);
        definition.put("trigger", "PURCHASE");
        definition.put("priority", priority);
        definition.put("exclusive", exclusive);
        definition.put("conditions", conditions);
        definition.put("effect", effect);
        return definition;
    }

    /** USD 20.00 over two items of USD 10.00, one of them {@code sku}. */
    static Map<String, Object> purchase(String sku, OffsetDateTime occurredAt) {
        Map<String, Object> purchase = new LinkedHashMap<>();
        purchase.put("orderId", "order-" + UUID.randomUUID());
        purchase.put("amount", Map.of("value", 2000, "currency", "USD"));
        purchase.put("items", List.of(Map.of("sku", sku, "quantity", 1, "unitPrice", 1000),
                Map.of("sku", "SKU-PLAIN", "quantity", 1, "unitPrice", 1000)));
        purchase.put("channel", "POS");
        if (occurredAt != null) {
            purchase.put("occurredAt", occurredAt.toString());
        }
        return purchase;
    }
}
