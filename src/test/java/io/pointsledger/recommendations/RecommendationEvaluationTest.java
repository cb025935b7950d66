package io.pointsledger.recommendations;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.ledger.PurchasedItems;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Offline evaluation on a generated purchase history with planted structure: members shop mostly
 * within one "aisle" of related items, plus a few bestsellers everyone buys. Each member's last
 * basket is held out; hit-rate@10 is the share of members for whom a top-10 recommendation is in
 * that basket. The co-purchase recommender (the production SQL, fed the same events the consumer
 * gets) is compared with a popularity baseline. Run alone:
 * {@code ./mvnw test -Dtest=RecommendationEvaluationTest}.
 */
@QuarkusTest
class RecommendationEvaluationTest {

    private static final Logger LOG = Logger.getLogger(RecommendationEvaluationTest.class);
    private static final int MEMBERS = 300;
    private static final int AISLES = 10;
    private static final int ITEMS_PER_AISLE = 15;
    private static final int BESTSELLERS = 5;
    private static final int BASKETS_PER_MEMBER = 5;
    private static final double IN_AISLE_SHARE = 0.85;
    private static final int TOP = 10;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    RecommendationService recommendations;

    @Inject
    RecommendationRepository repository;

    @Test
    void shouldBeatThePopularityBaselineOnPlantedStructure() {
        Random random = new Random(20261128);
        String run = "eval-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<UUID> members = new ArrayList<>();
        List<Set<String>> heldOut = new ArrayList<>();
        for (int member = 0; member < MEMBERS; member++) {
            UUID memberId = UUID.randomUUID();
            int aisle = random.nextInt(AISLES);
            List<List<String>> baskets = new ArrayList<>();
            for (int basket = 0; basket < BASKETS_PER_MEMBER; basket++) {
                baskets.add(basket(random, run, aisle));
            }
            for (List<String> basket : baskets.subList(0, BASKETS_PER_MEMBER - 1)) {
                recommendations.countRecorded(purchase(memberId, basket)).await().atMost(CALL_TIMEOUT);
            }
            members.add(memberId);
            heldOut.add(new HashSet<>(baskets.get(BASKETS_PER_MEMBER - 1)));
        }

        int coPurchaseHits = 0;
        int popularityHits = 0;
        for (int index = 0; index < members.size(); index++) {
            UUID memberId = members.get(index);
            List<Recommendation> coPurchased = repository.coPurchased(memberId, null, TOP, RecommendationService.RECENT_ITEMS_MAX)
                    .await().atMost(CALL_TIMEOUT);
            List<Recommendation> popular = repository.popular(memberId, null, TOP).await().atMost(CALL_TIMEOUT);
            coPurchaseHits += hit(coPurchased, heldOut.get(index)) ? 1 : 0;
            popularityHits += hit(popular, heldOut.get(index)) ? 1 : 0;
        }
        double coPurchaseRate = (double) coPurchaseHits / MEMBERS;
        double popularityRate = (double) popularityHits / MEMBERS;
        LOG.infof("Offline evaluation, %d members, hit-rate@%d: co-purchase %.3f, popularity %.3f",
                MEMBERS, TOP, coPurchaseRate, popularityRate);
        System.out.printf("hit-rate@%d  co-purchase %.3f  popularity %.3f  (%d members)%n",
                TOP, coPurchaseRate, popularityRate, MEMBERS);

        assertTrue(coPurchaseRate > popularityRate, "co-purchase " + coPurchaseRate + " vs popularity " + popularityRate);
    }

    private static boolean hit(List<Recommendation> recommended, Set<String> basket) {
        return recommended.stream().anyMatch(recommendation -> basket.contains(recommendation.sku()));
    }

    /** Two or three items: mostly from the member's aisle, sometimes a bestseller or a random item. */
    private static List<String> basket(Random random, String run, int aisle) {
        int size = 2 + random.nextInt(2);
        List<String> items = new ArrayList<>();
        while (items.size() < size) {
            double draw = random.nextDouble();
            String sku;
            if (draw < IN_AISLE_SHARE) {
                sku = run + "aisle" + aisle + "-item" + random.nextInt(ITEMS_PER_AISLE);
            } else if (draw < IN_AISLE_SHARE + 0.10) {
                sku = run + "bestseller" + random.nextInt(BESTSELLERS);
            } else {
                sku = run + "aisle" + random.nextInt(AISLES) + "-item" + random.nextInt(ITEMS_PER_AISLE);
            }
            if (!items.contains(sku)) {
                items.add(sku);
            }
        }
        return items;
    }

    /** A generated basket, counted as the consumer counts a purchase it read from the ledger. */
    private static PurchasedItems purchase(UUID memberId, List<String> basket) {
        return new PurchasedItems(UUID.randomUUID(), memberId, "evaluation", OffsetDateTime.now(), basket);
    }
}
