package io.pointsledger.support;

import io.pointsledger.support.RetailPurchases.Invoice;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Fixed purchase histories to train and judge churn models on, in years no other test buys in. */
public final class ChurnHistories {

    /** The year of {@link #trainedModel}'s history; it is trained as of 1 September the year after. */
    public static final int FIXTURE_YEAR = 1980;
    public static final String FIXTURE_AS_OF = (FIXTURE_YEAR + 1) + "-09-01";
    public static final String FIXTURE_CUTOFF = (FIXTURE_YEAR + 1) + "-06-01";
    private static final int CUSTOMERS = 60;

    private ChurnHistories() {
    }

    /**
     * 60 customers from June of {@code year} to the end of the next year: each buys at their own
     * pace (every 5 to 80 days) from a start of their own, and half stop for good at a day of their
     * own. The same pattern for every {@code run}; customers are named after it.
     */
    public static List<Invoice> fixed(String run, int year) {
        Random random = new Random(20050601);
        ZoneId shop = RetailPurchases.SHOP_ZONE;
        List<Invoice> invoices = new ArrayList<>();
        LocalDateTime end = LocalDateTime.of(year + 1, 12, 31, 0, 0);
        for (int customer = 0; customer < CUSTOMERS; customer++) {
            LocalDateTime at = LocalDateTime.of(year, 6, 1, 9, 0).plusDays(random.nextInt(300)).plusMinutes(random.nextInt(600));
            int pace = 5 + random.nextInt(76);
            LocalDateTime stop = random.nextBoolean() ? at.plusDays(random.nextInt(400)) : end;
            int number = 0;
            while (at.isBefore(stop) && at.isBefore(end)) {
                invoices.add(invoice(run + "-c" + customer, run + "-" + customer + "-" + number++, at, shop));
                at = at.plusDays(1 + random.nextInt(2 * pace)).plusMinutes(random.nextInt(300));
            }
        }
        invoices.sort(Comparator.comparing(Invoice::occurredAt));
        return invoices;
    }

    public static Invoice invoice(String customer, String number, LocalDateTime at, ZoneId zone) {
        return new Invoice(customer, number, at.atZone(zone).toOffsetDateTime(), List.of(), 1_000 + Math.abs(number.hashCode() % 9_000));
    }

    /**
     * Once per run: loads a fixed history in {@link #FIXTURE_YEAR} and trains a model on it as of
     * {@link #FIXTURE_AS_OF}, so that a model exists; a member of that history.
     */
    public static synchronized UUID trainedModel() {
        if (fixtureMember == null) {
            fixtureMember = trainedModel(io.quarkus.arc.Arc.container().instance(Pool.class).get());
        }
        return fixtureMember;
    }

    private static UUID fixtureMember;

    private static UUID trainedModel(Pool pool) {
        Map<String, UUID> members = HistoryLoader.load(pool, fixed("fixture-" + UUID.randomUUID().toString().substring(0, 8),
                FIXTURE_YEAR));
        LedgerApi.given().contentType(ContentType.JSON).body(Map.of("asOf", FIXTURE_AS_OF)).post("/v1/admin/churn-models")
                .then().statusCode(201);
        return members.values().iterator().next();
    }
}
