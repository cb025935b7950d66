package io.pointsledger.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Members fall in a campaign's variants in their shares, each always in the same one. */
class VariantAssignmentTest {

    private static final int MEMBERS = 10_000;
    /** The chi-square quantile of 2 degrees of freedom at 0.999: a fair split exceeds it once in a thousand. */
    private static final double CHI_SQUARE_2_AT_999 = 13.816;

    private static final List<CampaignVariant> VARIANTS = List.of(
            new CampaignVariant("holdout", 1_000, true, null),
            new CampaignVariant("double", 4_500, false, new CampaignEffect(20_000, null, null)),
            new CampaignVariant("bonus", 4_500, false, new CampaignEffect(null, 3_000L, null)));

    @Test
    void shouldShareTenThousandMembersOutWithinTwoPercentOfTheTargetsAndPassAChiSquareTest() {
        UUID campaignId = UUID.fromString("0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b");
        Random random = new Random(20261129L);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int index = 0; index < MEMBERS; index++) {
            UUID memberId = new UUID(random.nextLong(), random.nextLong());
            counts.merge(VariantAssignment.of(campaignId, memberId, VARIANTS).name(), 1, Integer::sum);
        }

        double chiSquare = 0;
        for (CampaignVariant variant : VARIANTS) {
            double expected = MEMBERS * variant.shareBasisPoints() / 10_000.0;
            int observed = counts.getOrDefault(variant.name(), 0);
            assertTrue(Math.abs(observed - expected) <= MEMBERS * 0.02, variant.name() + ": " + observed + " of " + MEMBERS);
            chiSquare += Math.pow(observed - expected, 2) / expected;
        }
        assertTrue(chiSquare < CHI_SQUARE_2_AT_999, "chi-square " + chiSquare + " with counts " + counts);
    }

    @Test
    void shouldPutAMemberInTheSameVariantEveryTimeAndDependOnTheCampaign() {
        UUID memberId = UUID.randomUUID();
        UUID campaignId = UUID.randomUUID();
        String first = VariantAssignment.of(campaignId, memberId, VARIANTS).name();
        for (int call = 0; call < 100; call++) {
            assertEquals(first, VariantAssignment.of(campaignId, memberId, VARIANTS).name());
        }
        // SHA-256("0193a1b2-…:8a1e2f3c-…"), top 64 bits unsigned, mod 10 000, computed apart (Python's hashlib):
        // what every instance, of every release, must compute.
        assertEquals(4_660, VariantAssignment.bucket(UUID.fromString("0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b"),
                UUID.fromString("8a1e2f3c-4b5d-6e7f-8091-a2b3c4d5e6f7")));
        long differing = java.util.stream.IntStream.range(0, 1_000).filter(index -> {
            UUID member = UUID.randomUUID();
            return VariantAssignment.bucket(campaignId, member) != VariantAssignment.bucket(UUID.randomUUID(), member);
        }).count();
        assertTrue(differing > 990, "a member's bucket in one campaign says nothing of another: " + differing);
    }
}
