package io.pointsledger.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.ledger.BonusOccasion;
import io.pointsledger.ledger.EarnFacts;
import io.pointsledger.ledger.LineItem;
import io.pointsledger.ledger.SalesChannel;
import io.pointsledger.tiers.Tier;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a campaign adds to one purchase: its conditions, its window in the program's time zone, its arithmetic. */
class CampaignRulesTest {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final CampaignEffect DOUBLE = new CampaignEffect(20_000, null, null);

    @Test
    void shouldReadTheWindowInTheProgramsTimeZone() {
        // Saturday 07:00 to 11:00 in Seoul is Friday 22:00 to Saturday 02:00 in UTC.
        CampaignWindow saturdayMorning = new CampaignWindow(null, null, Set.of(DayOfWeek.SATURDAY), LocalTime.of(7, 0),
                LocalTime.of(11, 0));
        CampaignDefinition campaign = definition(new CampaignConditions(saturdayMorning, null, null, null, null, null, null, null),
                DOUBLE);

        assertEquals(100, CampaignRules.bonus(campaign, purchaseAt("2026-12-04T22:00:00Z"), SEOUL), "Saturday 07:00 in Seoul");
        assertEquals(100, CampaignRules.bonus(campaign, purchaseAt("2026-12-05T01:59:59Z"), SEOUL), "Saturday 10:59:59");
        assertEquals(0, CampaignRules.bonus(campaign, purchaseAt("2026-12-05T02:00:00Z"), SEOUL), "11:00 is past the window");
        assertEquals(0, CampaignRules.bonus(campaign, purchaseAt("2026-12-05T08:00:00Z"), SEOUL), "Saturday in UTC, 17:00 in Seoul");
        assertEquals(0, CampaignRules.bonus(campaign, purchaseAt("2026-12-04T22:00:00Z"), ZoneId.of("UTC")),
                "Friday 22:00 where the program is in UTC");
    }

    @Test
    void shouldHoldFromAndUntilAsAHalfOpenRange() {
        CampaignWindow weekend = new CampaignWindow(LocalDateTime.parse("2026-12-05T00:00:00"),
                LocalDateTime.parse("2026-12-07T00:00:00"), null, null, null);
        assertEquals(true, CampaignRules.inWindow(weekend, LocalDateTime.parse("2026-12-05T00:00:00")));
        assertEquals(true, CampaignRules.inWindow(weekend, LocalDateTime.parse("2026-12-06T23:59:59.999")));
        assertEquals(false, CampaignRules.inWindow(weekend, LocalDateTime.parse("2026-12-07T00:00:00")));
        assertEquals(false, CampaignRules.inWindow(weekend, LocalDateTime.parse("2026-12-04T23:59:59")));
    }

    @Test
    void shouldMultiplyOnlyTheShareOfTheQualifyingItemsAndRoundDown() {
        CampaignConditions coffee = new CampaignConditions(null, null, null, null, Set.of("coffee"), null, null, null);
        EarnFacts basket = new EarnFacts(BonusOccasion.PURCHASE, UUID.randomUUID(), "operator", "POS", 3_000,
                List.of(new LineItem("BEANS", "coffee", 1, 1_000L), new LineItem("MUG", "kitchen", 1, 2_000L)),
                OffsetDateTime.parse("2026-12-05T10:00:00Z"), Tier.BASIC, false, 31, Set.of());

        // A third of 31 points, doubled: 10 more (10.33 rounded down).
        assertEquals(10, CampaignRules.bonus(definition(coffee, DOUBLE), basket, SEOUL));
        assertEquals(31 * 2, CampaignRules.bonus(definition(CampaignConditions.NONE, new CampaignEffect(30_000, null, null)),
                basket, SEOUL), "no items named: the whole purchase, tripled");
        CampaignConditions tea = new CampaignConditions(null, null, null, Set.of("TEA"), null, null, null, null);
        assertEquals(0, CampaignRules.bonus(definition(tea, new CampaignEffect(null, 500L, null)), basket, SEOUL),
                "a fixed bonus too needs the named items");
    }

    @Test
    void shouldApplyOnlyToTheChannelPartnerTierAndSpendItNames() {
        EarnFacts purchase = purchaseAt("2026-12-05T10:00:00Z");
        CampaignEffect five = new CampaignEffect(null, 5L, null);
        assertEquals(5, CampaignRules.bonus(definition(new CampaignConditions(null, Set.of(SalesChannel.POS), Set.of("operator"),
                null, null, 5_000L, Set.of(Tier.BASIC), null), five), purchase, SEOUL));
        assertEquals(0, CampaignRules.bonus(definition(new CampaignConditions(null, Set.of(SalesChannel.ONLINE), null, null, null,
                null, null, null), five), purchase, SEOUL));
        assertEquals(0, CampaignRules.bonus(definition(new CampaignConditions(null, null, Set.of("card-co"), null, null, null,
                null, null), five), purchase, SEOUL));
        assertEquals(0, CampaignRules.bonus(definition(new CampaignConditions(null, null, null, null, null, 5_001L, null, null), five),
                purchase, SEOUL));
        assertEquals(0, CampaignRules.bonus(definition(new CampaignConditions(null, null, null, null, null, null,
                Set.of(Tier.GOLD), null), five), purchase, SEOUL));
    }

    /** A segment is decided on like the tier: the segments the write path read as admitting the member. */
    @Test
    void shouldApplyOnlyToMembersOfTheSegmentItNames() {
        UUID segment = UUID.randomUUID();
        CampaignDefinition forSegment = definition(new CampaignConditions(null, null, null, null, null, null, null, segment),
                new CampaignEffect(null, 5L, null));
        EarnFacts outside = purchaseAt("2026-12-05T10:00:00Z");
        EarnFacts inside = new EarnFacts(outside.occasion(), outside.memberId(), outside.partnerId(), outside.channel(), outside.amount(),
                outside.items(), outside.occurredAt(), outside.tier(), outside.firstPurchase(), outside.points(), Set.of(segment));
        EarnFacts notReadYet = new EarnFacts(outside.occasion(), outside.memberId(), outside.partnerId(), outside.channel(),
                outside.amount(), outside.items(), outside.occurredAt(), null, null, 0, null);

        assertEquals(0, CampaignRules.bonus(forSegment, outside, SEOUL));
        assertEquals(5, CampaignRules.bonus(forSegment, inside, SEOUL));
        assertTrue(CampaignRules.mayApply(forSegment, notReadYet, SEOUL), "before the accounts are read, any member may be in it");
    }

    private static CampaignDefinition definition(CampaignConditions conditions, CampaignEffect effect) {
        return new CampaignDefinition("test", null, CampaignTrigger.PURCHASE, 1, false, conditions, effect, null, null);
    }

    /** USD 50.00 at the till, 100 points by the program's rule. */
    private static EarnFacts purchaseAt(String instant) {
        return new EarnFacts(BonusOccasion.PURCHASE, UUID.randomUUID(), "operator", "POS", 5_000,
                List.of(new LineItem("SKU", null, 1, 5_000L)), OffsetDateTime.parse(instant), Tier.BASIC, false, 100, Set.of());
    }
}
