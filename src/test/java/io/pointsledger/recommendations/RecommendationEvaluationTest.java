package io.pointsledger.recommendations;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.ledger.PurchasedItems;
import io.pointsledger.support.RetailPurchases;
import io.pointsledger.support.RetailPurchases.Invoice;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Offline evaluation of recommendations on real baskets (Online Retail, customer half A by
 * default), and the command that evaluates them on any file of that shape:
 * {@code load-tests/recommendation-evaluation.sh [/path/purchases.csv.gz]}.
 *
 * <p>Hold-out, respecting each customer's time (the protocol of the data's notes): every customer with
 * at least {@value #INVOICES_MIN} invoices keeps their last one out, so that their list is made
 * from their past only. Every other invoice is counted, in time order, through the production
 * statement the event consumer runs; other customers' later invoices count too, as they would in a
 * service that recommends to a member who has not been back for a while. Each such customer then gets a top-{@value #TOP} list from
 * three scorers, each topped up with popular items as the service does:
 * <ul>
 *   <li><b>popularity</b>: the most bought items they have not bought;</li>
 *   <li><b>raw co-occurrence</b>: the previous scorer, summing raw pair counts, over the same counts
 *       (with {@code -Drecommendations.evaluation.previous=true}, as the command runs it);</li>
 *   <li><b>cosine</b>: the service's ranking.</li>
 * </ul>
 * hit-rate@10 is the share of those customers whose held-out invoice holds a recommended item
 * (items they bought before are never recommended, so a hit is always something new to them);
 * coverage is the share of the items counted that appear in anybody's list.
 */
@QuarkusTest
class RecommendationEvaluationTest {

    static final String PURCHASES_PROPERTY = "recommendations.evaluation.purchases";
    /** Also rank by the previous scorer: a minute more on half A, so the suite leaves it to the command. */
    static final String PREVIOUS_PROPERTY = "recommendations.evaluation.previous";
    private static final int INVOICES_MIN = 3;
    private static final int TOP = 10;
    private static final int PURCHASES_PER_TRANSACTION = 200;
    /** The bar the cosine scorer must clear on real baskets: this multiple of popularity's hit rate. */
    private static final double POPULARITY_MULTIPLE_MIN = 1.3;
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

    /** The previous scorer: raw co-occurrence counts summed over the member's recent items. */
    private static final String RAW_CO_OCCURRENCE = """
            WITH recent AS (
                SELECT sku, max(last_at) AS last_at FROM member_items WHERE member_id = $1
                 GROUP BY sku ORDER BY last_at DESC, sku LIMIT $3
            )
            SELECT p.other_sku AS sku, sum(p.buyers) AS score FROM item_pair_buyers p JOIN recent r ON p.sku = r.sku
             WHERE NOT EXISTS (SELECT 1 FROM member_items m WHERE m.member_id = $1 AND m.sku = p.other_sku)
             GROUP BY p.other_sku ORDER BY score DESC, p.other_sku LIMIT $2""";

    @Inject
    RecommendationService recommendations;

    @Inject
    RecommendationRepository repository;

    @Inject
    RecommendationsConfig config;

    @Inject
    Pool pool;

    @Test
    void shouldRankRealHeldOutBasketsWellAbovePopularity() {
        List<Invoice> invoices = RetailPurchases.read(PURCHASES_PROPERTY);
        String run = "eval-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Map<String, Invoice> heldOut = lastInvoiceOfRegularCustomers(invoices);
        Map<String, UUID> members = new HashMap<>();
        Set<String> catalogue = new HashSet<>();
        List<PurchasedItems> counted = new ArrayList<>();
        for (Invoice invoice : invoices) {
            if (heldOut.get(invoice.customer()) != invoice) {
                UUID memberId = members.computeIfAbsent(invoice.customer(), customer -> UUID.randomUUID());
                List<String> skus = invoice.skus().stream().map(sku -> run + sku).toList();
                catalogue.addAll(skus);
                counted.add(new PurchasedItems(UUID.randomUUID(), memberId, run + "shop", invoice.occurredAt(), skus));
            }
        }
        long countingStarted = System.nanoTime();
        for (int from = 0; from < counted.size(); from += PURCHASES_PER_TRANSACTION) {
            repository.recordPurchases(counted.subList(from, Math.min(counted.size(), from + PURCHASES_PER_TRANSACTION)))
                    .await().atMost(CALL_TIMEOUT);
        }
        long countingMillis = (System.nanoTime() - countingStarted) / 1_000_000;

        Map<String, Function<UUID, Uni<List<Recommendation>>>> scorers = new LinkedHashMap<>();
        scorers.put("popularity", memberId -> repository.popular(memberId, null, TOP));
        if (Boolean.getBoolean(PREVIOUS_PROPERTY)) {
            scorers.put("raw co-occurrence (previous)", memberId -> rawCoOccurrence(memberId).flatMap(raw -> raw.size() >= TOP
                    ? Uni.createFrom().item(raw)
                    : repository.popular(memberId, null, TOP).map(popular -> RecommendationService.merge(raw, popular, TOP))));
        }
        scorers.put("cosine (service)", memberId -> recommendations.rank(memberId, null, TOP));
        Map<String, Score> scores = new LinkedHashMap<>();
        scorers.forEach((name, scorer) -> scores.put(name, evaluate(scorer, heldOut, members, run, catalogue.size())));

        report(invoices.size(), counted.size(), heldOut.size(), catalogue.size(), countingMillis, scores);
        double popularity = scores.get("popularity").hitRate();
        double cosine = scores.get("cosine (service)").hitRate();
        assertTrue(cosine >= POPULARITY_MULTIPLE_MIN * popularity,
                "cosine hit-rate@" + TOP + " " + cosine + " is below " + POPULARITY_MULTIPLE_MIN + " × popularity's " + popularity);
    }

    /** What a scorer achieved over the held-out invoices. */
    private record Score(double hitRate, double coverage, double millisPerList) {
    }

    private static Map<String, Invoice> lastInvoiceOfRegularCustomers(List<Invoice> invoices) {
        Map<String, List<Invoice>> byCustomer = new HashMap<>();
        invoices.forEach(invoice -> byCustomer.computeIfAbsent(invoice.customer(), customer -> new ArrayList<>()).add(invoice));
        Map<String, Invoice> last = new HashMap<>();
        byCustomer.forEach((customer, theirs) -> {
            if (theirs.size() >= INVOICES_MIN) {
                last.put(customer, theirs.get(theirs.size() - 1));
            }
        });
        return last;
    }

    private static Score evaluate(Function<UUID, Uni<List<Recommendation>>> scorer, Map<String, Invoice> heldOut,
            Map<String, UUID> members, String run, int catalogueSize) {
        int hits = 0;
        Set<String> recommended = new HashSet<>();
        long started = System.nanoTime();
        for (Map.Entry<String, Invoice> held : heldOut.entrySet()) {
            List<Recommendation> list = scorer.apply(members.get(held.getKey())).await().atMost(CALL_TIMEOUT);
            Set<String> basket = new HashSet<>(held.getValue().skus().stream().map(sku -> run + sku).toList());
            list.forEach(recommendation -> recommended.add(recommendation.sku()));
            hits += list.stream().anyMatch(recommendation -> basket.contains(recommendation.sku())) ? 1 : 0;
        }
        double millisPerList = (System.nanoTime() - started) / 1e6 / heldOut.size();
        return new Score((double) hits / heldOut.size(), (double) recommended.size() / catalogueSize, millisPerList);
    }

    private Uni<List<Recommendation>> rawCoOccurrence(UUID memberId) {
        return pool.preparedQuery(RAW_CO_OCCURRENCE).execute(Tuple.of(memberId, TOP, config.seedItems()))
                .map(rows -> {
                    List<Recommendation> list = new ArrayList<>();
                    rows.forEach(row -> list.add(new Recommendation(row.getString("sku"), row.getDouble("score"),
                            RecommendationBasis.SIMILAR_ITEMS)));
                    return list;
                });
    }

    private static void report(int invoices, int counted, int heldOut, int items, long countingMillis, Map<String, Score> scores) {
        double popularity = scores.get("popularity").hitRate();
        StringBuilder table = new StringBuilder()
                .append("Recommendations on ").append(RetailPurchases.source(PURCHASES_PROPERTY)).append('\n')
                .append(String.format("%d invoices: %d counted in %d ms, %d held out (last invoice of each customer with >= %d), %d items%n",
                        invoices, counted, countingMillis, heldOut, INVOICES_MIN, items))
                .append(String.format("%-30s %12s %14s %10s %12s%n", "scorer", "hit-rate@" + TOP, "x popularity", "coverage", "ms per list"));
        scores.forEach((name, score) -> table.append(String.format("%-30s %12.4f %14.3f %10.4f %12.2f%n",
                name, score.hitRate(), score.hitRate() / popularity, score.coverage(), score.millisPerList())));
        System.out.print(table);
    }
}
