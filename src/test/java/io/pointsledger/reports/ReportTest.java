package io.pointsledger.reports;

import static io.pointsledger.support.LedgerApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.Partners;
import io.pointsledger.support.Segments;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reports against a real PostgreSQL, in a program whose time zone is Seoul (UTC+9): each equals
 * the hand computation below on a fixed ledger written in 1991, whose transfers straddle day and
 * month boundaries that fall elsewhere in UTC.
 *
 * <pre>
 *  UTC                Seoul day    member  transfer                         lot
 *  1991-01-31 14:30   01-31        M1      EARN 1000 (100 of it a bonus)    L1 +1000 (cohort 1991-01)
 *  1991-01-31 15:30   02-01        M1      REDEEM 300                       L1 -300
 *  1991-02-01 01:00   02-01        M2      EARN 500                         L2 +500  (cohort 1991-02)
 *  1991-02-01 02:00   02-01        M2      HOLD 400
 *  1991-02-01 03:00   02-01        M2      CAPTURE 250 of it (150 released) L2 -250
 *  1991-02-02 00:00   02-02        M1      REVERSAL: 100 of the redeem back L1 +100 (a refund)
 *  1991-02-28 15:10   03-01        M1      EXPIRY 800                       L1 -800
 *  1991-03-16 00:00   03-16        M2      REVERSAL: 100 of the earn back   L2 -100
 * </pre>
 *
 * Earn and burn: 01-31 issued 900, bonus 100, net +1000; 02-01 issued 500, redeemed 550, held 400,
 * released 150, net -50; 02-02 reversed +100; 03-01 expired 800; 03-16 reversed -100; in all
 * issued 1400, bonus 100, redeemed 550, expired 800, net 150 (M2's balance). The expiry is the
 * program's own (partner "operator"), so at the partner nothing expired and the net is 950. Breakage: cohort
 * 1991-01 issued 1000, redeemed 200, expired 800, outstanding 0 (rate 0.8, redeemed share 0.2);
 * 1991-02 issued 500, redeemed 250, reversed 100, outstanding 150 (rate 0, share 0.5); 1991-03
 * nothing. Liability: 150 points outstanding of the partner's issue.
 *
 * <p>Sales: M1's earn is 2 x SKU-A (shoes) at 30 000 and 1 x SKU-B (no category) at 40 000; M2's is
 * 1 x SKU-A at 50 000. SKU-A: 2 lines, 3 units, 110 000; SKU-B: 1 line, 1 unit, 40 000. Months:
 * 1991-01 100 000, 1991-02 50 000, 1991-03 0; 1991-Q1 150 000. Hours of the week (Seoul):
 * THURSDAY 23 (M1) and FRIDAY 10 (M2), in UTC they would be Thursday 14 and Friday 01.
 */
@QuarkusTest
@TestProfile(ReportTest.InSeoul.class)
class ReportTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    public static class InSeoul implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Rollups only when a test asks for them: each test knows what the rollups hold.
            return Map.of("points-ledger.program.time-zone", "Asia/Seoul", "points-ledger.reports.rollups-enabled", "false");
        }
    }

    @Inject
    Pool pool;

    @Inject
    ReportRollups rollups;

    @Inject
    ReportRepository repository;

    /** Each test rolls up what it reads, from nothing. */
    @BeforeEach
    @AfterEach
    void forgetEveryRollup() {
        RollupsByHand.forgetAll(pool);
    }

    private void rollUpDays(String first, String last) {
        RollupsByHand.rollUpDays(rollups, LocalDate.parse(first), LocalDate.parse(last));
    }

    @Test
    void shouldEqualTheHandComputationOnAFixedLedgerAcrossDayAndMonthBoundariesOfTheProgramTimeZone() {
        Partners.TestPartner partner = Partners.create(1_000, "earn", "read");
        String partnerId = partner.partnerId();
        UUID campaign = UUID.randomUUID();
        writeFixedLedger(partnerId, campaign, 1991);
        rollUpDays("1991-01-31", "1991-03-16");

        JsonPath earnBurn = given().queryParam("from", "1991-01-31").queryParam("to", "1991-03-17")
                .get("/v1/admin/reports/earn-burn").then().statusCode(200).body("timeZone", equalTo("Asia/Seoul"))
                .extract().jsonPath();
        assertEquals(45, earnBurn.getList("days").size(), "every day of the period");
        assertDay(earnBurn, "days.find { it.day == '1991-01-31' }", Map.of("issued", 900, "bonus", 100, "net", 1000, "earns", 1,
                "purchaseAmountMinorUnits", 100_000));
        assertDay(earnBurn, "days.find { it.day == '1991-02-01' }", Map.of("issued", 500, "redeemed", 550, "held", 400, "released", 150,
                "net", -50, "earns", 1));
        assertDay(earnBurn, "days.find { it.day == '1991-02-02' }", Map.of("reversed", 100, "net", 100));
        assertDay(earnBurn, "days.find { it.day == '1991-03-01' }", Map.of("expired", 800, "net", -800));
        assertDay(earnBurn, "days.find { it.day == '1991-03-16' }", Map.of("reversed", -100, "net", -100));
        assertDay(earnBurn, "days.find { it.day == '1991-02-28' }", Map.of("net", 0));
        assertDay(earnBurn, "totals", Map.of("issued", 1400, "bonus", 100, "redeemed", 550, "reversed", 0, "expired", 800, "held", 400,
                "released", 150, "net", 150));
        JsonPath ofPartner = given().queryParam("from", "1991-01-31").queryParam("to", "1991-03-17").queryParam("partnerId", partnerId)
                .get("/v1/admin/reports/earn-burn").then().statusCode(200).extract().jsonPath();
        assertDay(ofPartner, "totals", Map.of("issued", 1400, "expired", 0, "net", 950));
        assertEquals(List.of(Map.of("campaignId", campaign.toString(), "grants", 1, "points", 100)),
                earnBurn.getList("campaigns").stream().map(bonus -> {
                    Map<?, ?> found = (Map<?, ?>) bonus;
                    return Map.of("campaignId", found.get("campaignId"), "grants", found.get("grants"), "points", found.get("points"));
                }).toList());

        JsonPath breakage = given().queryParam("from", "1991-01-01").queryParam("to", "1991-04-01").queryParam("partnerId", partnerId)
                .get("/v1/admin/reports/breakage").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("1991-01", "1991-02", "1991-03"), breakage.getList("cohorts.month"));
        assertDay(breakage, "cohorts[0]", Map.of("issued", 1000, "redeemed", 200, "expired", 800, "reversed", 0, "outstanding", 0,
                "breakageRate", 0.8f, "redeemedShare", 0.2f));
        assertDay(breakage, "cohorts[1]", Map.of("issued", 500, "redeemed", 250, "expired", 0, "reversed", 100, "outstanding", 150,
                "breakageRate", 0.0f, "redeemedShare", 0.5f));
        assertNull(breakage.get("cohorts[2].breakageRate"), "nothing issued, no rate");

        assertSales(partnerId);

        given().get("/v1/admin/reports/liability").then().statusCode(200)
                .body("byPartnerOfIssue.find { it.partnerId == '" + partnerId + "' }.outstandingPoints", equalTo(150))
                .body("byPartnerOfIssue.find { it.partnerId == '" + partnerId + "' }.valueMinorUnits", equalTo(150));
    }

    /** A day rolled up holds exactly what the transfers of that day add up to, read directly. */
    @Test
    void shouldRollUpADayToWhatItsTransfersAddUpTo() {
        String partnerId = Partners.create(1_000, "earn").partnerId();
        writeFixedLedger(partnerId, UUID.randomUUID(), 1993);
        LocalDate day = LocalDate.parse("1993-02-01");
        OffsetDateTime from = rollups.startOf(day);
        OffsetDateTime to = rollups.startOf(day.plusDays(1));
        List<ReportRepository.TransferDay> live = sorted(repository.liveTransferDays(from, to, "Asia/Seoul").await().atMost(WAIT));
        List<ReportRepository.LotFlow> liveLots = repository.liveLotFlows(repository.pool(), from, to, "Asia/Seoul").await().atMost(WAIT);

        assertTrue(rollups.rollUp(day).await().atMost(WAIT));

        assertEquals(live, sorted(repository.rolledTransferDays(day, day.plusDays(1)).await().atMost(WAIT)));
        assertTrue(live.size() >= 4, "the fixed ledger's four kinds that day: " + live);
        Map<String, Long> rolledLots = new HashMap<>();
        Database.all(pool, "SELECT issuing_partner_id || cohort_month || flow, points FROM report_lot_days WHERE day = $1", day)
                .forEach(row -> rolledLots.merge(row.getString(0), row.getLong(1), Long::sum));
        Map<String, Long> liveLotsByKey = new HashMap<>();
        liveLots.forEach(flow -> liveLotsByKey.merge(flow.issuingPartnerId() + flow.cohortMonth() + flow.flow(), flow.points(), Long::sum));
        assertEquals(liveLotsByKey, rolledLots);
        assertEquals(false, rollups.rollUp(day).await().atMost(WAIT), "a day is rolled up once");
    }

    /**
     * A day rolled up in slices, as today is: after each slice the day's rows hold what its
     * transfers until then add up to, and the reports read them (and nothing after the last
     * slice); a slice that does not go on from the last one is refused; once the slices reach the
     * day's end, every report equals the one of the day rolled up as a whole, which then replaces
     * the slices by the same figures.
     */
    @Test
    void shouldReadADayRolledUpInSlicesAsTheWholeDayAndReplaceTheSlicesByIt() {
        String partnerId = Partners.create(1_000, "earn").partnerId();
        writeFixedLedger(partnerId, UUID.randomUUID(), 1995);
        LocalDate day = LocalDate.parse("1995-02-01");
        OffsetDateTime start = rollups.startOf(day);
        OffsetDateTime split = OffsetDateTime.parse("1995-02-01T01:30:00Z");
        OffsetDateTime end = rollups.startOf(day.plusDays(1));
        rollUpDays("1995-01-31", "1995-02-01");
        Map<String, Object> wholeDays = everyReportOf(partnerId, day);
        assertEquals(List.of("SKU-A"), ((List<?>) ((Map<?, ?>) wholeDays.get("productsAtTillsToBasic")).get("rows")).stream()
                .map(row -> ((Map<?, ?>) row).get("key")).toList(), "the day's sale at a till to a BASIC member, per channel and tier");
        List<ReportRepository.TransferDay> wholeDay = sorted(repository.rolledTransferDays(day, day.plusDays(1)).await().atMost(WAIT));
        forgetEveryRollup();
        rollUpDays("1995-01-31", "1995-01-31");

        assertEquals(false, rollups.rollUpSlice(day, split, end).await().atMost(WAIT), "a day's first slice starts at its start");
        assertTrue(rollups.rollUpSlice(day, start, split).await().atMost(WAIT));
        assertEquals(sorted(repository.liveTransferDays(start, split, "Asia/Seoul").await().atMost(WAIT)),
                sorted(repository.rolledTransferDays(day, day.plusDays(1)).await().atMost(WAIT)), "the first slice: the redeem and the earn");
        JsonPath half = earnBurnOf(partnerId, day);
        assertEquals(500, half.getInt("days.find { it.day == '1995-02-01' }.issued"), "the earn, in the first slice");
        assertEquals(0, half.getInt("days.find { it.day == '1995-02-01' }.held"), "the hold after it is not rolled up yet");
        assertEquals(split.toInstant(), OffsetDateTime.parse(half.getString("recordedUntil")).toInstant());
        assertEquals(false, rollups.rollUpSlice(day, start, end).await().atMost(WAIT), "a slice goes on from the last one");
        assertTrue(rollups.rollUpSlice(day, split, end).await().atMost(WAIT));
        assertEquals(wholeDay, sorted(repository.rolledTransferDays(day, day.plusDays(1)).await().atMost(WAIT)), "two slices add up");
        assertEquals(wholeDays, everyReportOf(partnerId, day), "the day from its slices");

        assertTrue(rollups.rollUp(day).await().atMost(WAIT));
        assertEquals(0L, Database.single(pool, "SELECT count(*) FROM report_rollup_slices").getLong(0), "the slices are forgotten");
        assertEquals(wholeDay, sorted(repository.rolledTransferDays(day, day.plusDays(1)).await().atMost(WAIT)), "replaced, not added to");
        assertEquals(wholeDays, everyReportOf(partnerId, day), "the day rolled up as a whole");
        assertEquals(false, rollups.rollUpSlice(day, end, end.plusHours(1)).await().atMost(WAIT), "a day rolled up takes no slice");
    }

    /**
     * A transfer committed after the slice of its recording time was rolled up (its transaction
     * outlived the slice delay) is missing from the day's slices; the day's rollup as a whole,
     * which finds more transfers than the slices counted, computes the day again and counts it.
     */
    @Test
    void shouldCountATransferCommittedAfterItsSliceWhenItsDayIsRolledUpWhole() {
        String partnerId = Partners.create(1_000, "earn").partnerId();
        UUID member = memberEnrolled("1996-01-10T03:00:00Z", "ONLINE");
        purchase(member, partnerId, "1996-03-01T03:00:00Z", 1_000);
        LocalDate day = LocalDate.parse("1996-03-01");
        rollUpDays("1996-02-29", "1996-02-29");
        assertTrue(rollups.rollUpSlice(day, rollups.startOf(day), rollups.startOf(day.plusDays(1))).await().atMost(WAIT));
        purchase(member, partnerId, "1996-03-01T04:00:00Z", 2_000);
        Database.execute(pool, "UPDATE member_accounts SET posted = 20 WHERE member_id = $1", member);
        assertEquals(1, earnBurnOf(partnerId, day).getInt("days.find { it.day == '1996-03-01' }.earns"), "the slices' one earn");

        rollUpDays("1996-03-01", "1996-03-01");

        JsonPath whole = earnBurnOf(partnerId, day);
        assertEquals(2, whole.getInt("days.find { it.day == '1996-03-01' }.earns"), "the late earn counted");
        assertEquals(20, whole.getInt("days.find { it.day == '1996-03-01' }.issued"));
    }

    /**
     * The members report on a fixed set of members in 1997, in Seoul (UTC+9), each purchase an earn
     * for an amount:
     *
     * <pre>
     *  member  enrolled            purchases (Seoul day: amount)
     *  A       01-10 ONLINE        01-15: 10 000, 02-10: 5 000
     *  B       01-20 OFFLINE       02-01 (01-31 16:00 in UTC): 7 000, 03-20: 3 000
     *  C       02-05 BULK          02-06: 2 000 and 1 000 (the same day), 02-20: 4 000
     * </pre>
     *
     * Active: January A; February A, B, C; March B. Back within 30 days of the month's first
     * purchase: January A (26 days); February C (14 days), not A (none since) nor B (47 days), so
     * 1 of 3; March 0 of 1. Lifetime value: January's enrolments (A, B) bought 4 times, 25 000,
     * 12 500 each; February's (C) 3 times, 7 000. Tiers: A BASIC to SILVER on 02-15, C BASIC to
     * SILVER on 03-01 00:30 (02-28 in UTC) and back on 03-25. Coupons: 4 issued in January, 1
     * redeemed. Reward claims in February (B, a point each): 3, 1 fulfilled, 1 cancelled (1 of the 2 left).
     */
    @Test
    void shouldEqualTheHandComputationOfTheMembersReport() {
        String partnerId = Partners.create(1_000, "earn").partnerId();
        UUID a = memberEnrolled("1997-01-10T03:00:00Z", "ONLINE");
        UUID b = memberEnrolled("1997-01-20T03:00:00Z", "OFFLINE");
        UUID c = memberEnrolled("1997-02-05T03:00:00Z", "BULK");
        purchase(a, partnerId, "1997-01-15T03:00:00Z", 10_000);
        purchase(a, partnerId, "1997-02-10T03:00:00Z", 5_000);
        long bFirstLot = purchase(b, partnerId, "1997-01-31T16:00:00Z", 7_000);
        purchase(b, partnerId, "1997-03-20T03:00:00Z", 3_000);
        purchase(c, partnerId, "1997-02-06T03:00:00Z", 2_000);
        purchase(c, partnerId, "1997-02-06T05:00:00Z", 1_000);
        purchase(c, partnerId, "1997-02-20T03:00:00Z", 4_000);
        tierChange(a, "BASIC", "SILVER", "1997-02-15T03:00:00Z");
        tierChange(c, "BASIC", "SILVER", "1997-02-28T15:30:00Z");
        tierChange(c, "SILVER", "BASIC", "1997-03-25T03:00:00Z");
        UUID couponDefinition = couponDefinition();
        coupon(couponDefinition, a, "1997-01-05T03:00:00Z", "1997-01-06T03:00:00Z");
        for (int coupon = 1; coupon < 4; coupon++) {
            coupon(couponDefinition, a, "1997-01-05T03:00:00Z", null);
        }
        UUID reward = UUID.randomUUID();
        Database.execute(pool, "INSERT INTO rewards (reward_id, kind, name, points) VALUES ($1, 'PRODUCT', 'Mug', 100)", reward);
        for (String status : List.of("CLAIMED", "FULFILLED", "CANCELLED")) {
            UUID claim = transfer(b, "REWARD_CLAIM", 1, -1, 0, partnerId, null, null, "1997-02-12T03:00:00Z", new JsonObject());
            movement(claim, b, bFirstLot, -1);
            Database.execute(pool, """
                    INSERT INTO reward_claims (claim_id, member_id, reward_id, partner_id, points, status, claimed_at, fulfilled_at, cancelled_at)
                    VALUES ($1, $2, $3, $4, 1, $5, '1997-02-12T03:00:00Z', $6, $7)""", claim, b, reward, partnerId, status,
                    status.equals("FULFILLED") ? OffsetDateTime.parse("1997-02-13T03:00:00Z") : null,
                    status.equals("CANCELLED") ? OffsetDateTime.parse("1997-02-13T03:00:00Z") : null);
        }
        Database.execute(pool, "UPDATE point_lots SET remaining = 7 WHERE lot_id = $1", bFirstLot);
        Database.execute(pool, """
                UPDATE member_accounts a SET posted = (SELECT sum(t.posted_delta) FROM transfers t WHERE t.member_id = a.member_id)
                 WHERE a.member_id = ANY($1)""", (Object) new UUID[] {a, b, c});
        rollUpDays("1997-01-01", "1997-04-30");

        JsonPath report = given().queryParam("from", "1997-01-01").queryParam("to", "1997-04-01").get("/v1/admin/reports/members").then()
                .statusCode(200).body("timeZone", equalTo("Asia/Seoul")).body("repurchaseDays", equalTo(30)).extract().jsonPath();

        assertEquals(List.of("1997-01", "1997-02", "1997-03"), report.getList("months.month"));
        assertDay(report, "months[0]", Map.ofEntries(Map.entry("enrolled", 2), Map.entry("enrolledOnline", 1),
                Map.entry("enrolledOffline", 1), Map.entry("enrolledBulk", 0), Map.entry("activeMembers", 1),
                Map.entry("repurchaseSettled", 1), Map.entry("repurchased", 1), Map.entry("repurchaseRate", 1.0f),
                Map.entry("cohortPurchases", 4), Map.entry("cohortAmountMinorUnits", 25_000), Map.entry("averageLifetimeValueMinorUnits", 12_500),
                Map.entry("couponsIssued", 4), Map.entry("couponsRedeemed", 1), Map.entry("couponUseRate", 0.25f), Map.entry("upgrades", 0)));
        assertDay(report, "months[1]", Map.ofEntries(Map.entry("enrolled", 1), Map.entry("enrolledBulk", 1), Map.entry("activeMembers", 3),
                Map.entry("repurchaseSettled", 3), Map.entry("repurchased", 1), Map.entry("repurchaseRate", 0.3333f),
                Map.entry("upgrades", 1), Map.entry("downgrades", 0), Map.entry("cohortPurchases", 3), Map.entry("cohortAmountMinorUnits", 7_000),
                Map.entry("averageLifetimeValueMinorUnits", 7_000), Map.entry("rewardClaims", 3), Map.entry("rewardsFulfilled", 1),
                Map.entry("rewardsCancelled", 1), Map.entry("rewardFulfilmentRate", 0.5f)));
        assertDay(report, "months[2]", Map.ofEntries(Map.entry("enrolled", 0), Map.entry("activeMembers", 1), Map.entry("repurchaseSettled", 1),
                Map.entry("repurchased", 0), Map.entry("repurchaseRate", 0.0f), Map.entry("upgrades", 1), Map.entry("downgrades", 1),
                Map.entry("cohortPurchases", 0)));
        assertNull(report.get("months[2].averageLifetimeValueMinorUnits"), "nobody enrolled in March");
        assertNull(report.get("months[2].couponUseRate"), "no coupon issued in March");
        assertEquals(List.of(Map.of("from", "BASIC", "to", "SILVER", "members", 2), Map.of("from", "SILVER", "to", "BASIC", "members", 1)),
                report.getList("tierMovements"));
        assertEquals(Database.single(pool, "SELECT count(*) FROM member_accounts").getLong(0),
                report.getList("tiers.members", Long.class).stream().mapToLong(Long::longValue).sum(), "every member has a tier now");

        JsonPath within15 = given().queryParam("from", "1997-01-01").queryParam("to", "1997-04-01").queryParam("repurchaseDays", 15)
                .get("/v1/admin/reports/members").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(0, 1, 0), within15.getList("months.repurchased"), "A's 26 days are past 15; C's 14 are not");
        String csv = given().accept("text/csv").queryParam("from", "1997-01-01").queryParam("to", "1997-04-01")
                .get("/v1/admin/reports/members").then().statusCode(200).extract().asString();
        assertTrue(csv.startsWith(String.join(",", MembersReport.CSV_HEADER) + "\r\n1997-01,2,1,1,0,1,1,1,1.0,0,0,4,25000,12500,4,1,0.25,"), csv);
    }

    /**
     * Reports narrowed to a segment (region = a region of this test's own) count only its members,
     * on members of 1989 in Seoul, each purchase an earn of 10 points for an amount:
     *
     * <pre>
     *  member  region  enrolled      purchases (Seoul day: amount)   tier         coupons (January)
     *  A       in      01-10 ONLINE  01-15: 10 000, 01-25: 2 000      BASIC        2, 1 redeemed
     *  B       out     01-12 OFFLINE 01-16: 5 000, 01-20: 1 000       SILVER 02-10 3
     *  C       in      02-03 BULK    02-04: 3 000                     SILVER 02-11
     * </pre>
     *
     * The segment's members report: January 1 enrolled (online), 1 active, back within 30 days 1
     * of 1, coupons 2 and 1 redeemed; February 1 enrolled (bulk), 1 active, back 0 of 1, 1 upgrade;
     * no lifetime value (kept per month of enrolment, not per member). Tiers now: 2 members. The
     * whole program's January: 2 enrolled, 2 active, 5 coupons; February: 2 upgrades. Liability: A
     * and C, 30 points, one BASIC and one SILVER. Customers of January: A alone, 12 000 of 2
     * purchases, as the totals.
     */
    @Test
    void shouldNarrowTheMembersReportTheLiabilityAndTheCustomersToTheMembersOfASegment() {
        String partnerId = Partners.create(1_000, "earn").partnerId();
        String region = "region-" + UUID.randomUUID();
        UUID a = memberEnrolled("1989-01-10T03:00:00Z", "ONLINE");
        UUID b = memberEnrolled("1989-01-12T03:00:00Z", "OFFLINE");
        UUID c = memberEnrolled("1989-02-03T03:00:00Z", "BULK");
        Database.execute(pool, "UPDATE members SET region = $2 WHERE member_id = ANY($1)", new UUID[] {a, c}, region);
        purchase(a, partnerId, "1989-01-15T03:00:00Z", 10_000);
        purchase(a, partnerId, "1989-01-25T03:00:00Z", 2_000);
        purchase(b, partnerId, "1989-01-16T03:00:00Z", 5_000);
        purchase(b, partnerId, "1989-01-20T03:00:00Z", 1_000);
        purchase(c, partnerId, "1989-02-04T03:00:00Z", 3_000);
        tierChange(b, "BASIC", "SILVER", "1989-02-10T03:00:00Z");
        tierChange(c, "BASIC", "SILVER", "1989-02-11T03:00:00Z");
        Database.execute(pool, "UPDATE member_accounts SET tier = 'SILVER' WHERE member_id = ANY($1)", (Object) new UUID[] {b, c});
        UUID couponDefinition = couponDefinition();
        coupon(couponDefinition, a, "1989-01-05T03:00:00Z", "1989-01-06T03:00:00Z");
        for (UUID holder : List.of(a, b, b, b)) {
            coupon(couponDefinition, holder, "1989-01-05T03:00:00Z", null);
        }
        Database.execute(pool, """
                UPDATE member_accounts a SET posted = (SELECT sum(t.posted_delta) FROM transfers t WHERE t.member_id = a.member_id)
                 WHERE a.member_id = ANY($1)""", (Object) new UUID[] {a, b, c});
        rollUpDays("1989-01-01", "1989-03-31");
        String segmentId = Segments.saved("region = '" + region + "'");

        JsonPath narrowed = given().queryParam("from", "1989-01-01").queryParam("to", "1989-03-01").queryParam("segmentId", segmentId)
                .get("/v1/admin/reports/members").then().statusCode(200).body("segmentId", equalTo(segmentId)).extract().jsonPath();
        assertDay(narrowed, "months[0]", Map.ofEntries(Map.entry("enrolled", 1), Map.entry("enrolledOnline", 1),
                Map.entry("enrolledOffline", 0), Map.entry("activeMembers", 1), Map.entry("repurchaseSettled", 1),
                Map.entry("repurchased", 1), Map.entry("couponsIssued", 2), Map.entry("couponsRedeemed", 1), Map.entry("upgrades", 0)));
        assertDay(narrowed, "months[1]", Map.ofEntries(Map.entry("enrolled", 1), Map.entry("enrolledBulk", 1), Map.entry("activeMembers", 1),
                Map.entry("repurchaseSettled", 1), Map.entry("repurchased", 0), Map.entry("upgrades", 1), Map.entry("couponsIssued", 0)));
        for (String figure : List.of("cohortPurchases", "cohortAmountMinorUnits", "averageLifetimeValueMinorUnits")) {
            assertNull(narrowed.get("months[0]." + figure), figure + " is kept per month of enrolment, not per member");
        }
        assertEquals(List.of(Map.of("from", "BASIC", "to", "SILVER", "members", 1)), narrowed.getList("tierMovements"));
        assertEquals(Map.of("BASIC", 1, "SILVER", 1), narrowed.getList("tiers", Map.class).stream()
                .collect(java.util.stream.Collectors.toMap(row -> row.get("tier"), row -> row.get("members"))));

        JsonPath whole = given().queryParam("from", "1989-01-01").queryParam("to", "1989-03-01").get("/v1/admin/reports/members").then()
                .statusCode(200).body("segmentId", nullValue()).extract().jsonPath();
        assertDay(whole, "months[0]", Map.of("enrolled", 2, "activeMembers", 2, "couponsIssued", 5, "cohortPurchases", 4));
        assertDay(whole, "months[1]", Map.of("upgrades", 2));

        JsonPath liability = given().queryParam("segmentId", segmentId).get("/v1/admin/reports/liability").then().statusCode(200)
                .body("segmentId", equalTo(segmentId)).body("notYetAttributedPoints", nullValue()).extract().jsonPath();
        assertEquals(List.of(30L, 2L, 2L), List.of(liability.getLong("outstandingPoints"), liability.getLong("members"),
                liability.getLong("membersWithPoints")), "outstanding, members, members with points");
        assertEquals(List.of("BASIC", "SILVER"), liability.getList("byTier.tier"));
        assertEquals(List.of(20, 10), liability.getList("byTier.outstandingPoints"));
        given().queryParam("segmentId", segmentId).queryParam("tier", "SILVER").get("/v1/admin/reports/liability").then().statusCode(200)
                .body("outstandingPoints", equalTo(10)).body("members", equalTo(1));

        JsonPath customers = given().queryParam("from", "1989-01-01").queryParam("to", "1989-02-01").queryParam("by", "CUSTOMER")
                .queryParam("segmentId", segmentId).get("/v1/admin/reports/sales").then().statusCode(200)
                .body("segmentId", equalTo(segmentId)).extract().jsonPath();
        assertEquals(List.of(a.toString()), customers.getList("rows.key"));
        assertDay(customers, "rows[0]", Map.of("count", 2, "amountMinorUnits", 12_000, "previousAmountMinorUnits", 0));
        assertDay(customers, "totals", Map.of("count", 2, "amountMinorUnits", 12_000, "previousAmountMinorUnits", 0));
        given().queryParam("from", "1989-01-01").queryParam("to", "1989-02-01").queryParam("by", "CUSTOMER").get("/v1/admin/reports/sales")
                .then().statusCode(200).body("rows.key", equalTo(List.of(a.toString(), b.toString()))).body("totals.count", equalTo(4));

        // A segment of every tier admits nearly everyone: its snapshot keeps those it leaves out
        // (the erased). A coupon given to no one is no member's, before and after a member
        // enrols whom the count never saw.
        coupon(couponDefinition, null, "1989-01-07T03:00:00Z", null);
        String everyone = Segments.saved("tier IN ('BASIC', 'SILVER', 'GOLD')");
        for (int read = 0; read < 2; read++) {
            JsonPath ofEveryone = given().queryParam("from", "1989-01-01").queryParam("to", "1989-03-01").queryParam("segmentId", everyone)
                    .get("/v1/admin/reports/members").then().statusCode(200).extract().jsonPath();
            assertDay(ofEveryone, "months[0]", Map.of("enrolled", 2, "activeMembers", 2, "couponsIssued", 5, "couponsRedeemed", 1));
            assertDay(ofEveryone, "months[1]", Map.of("enrolled", 1, "activeMembers", 1, "upgrades", 2));
            JsonPath customersOfEveryone = given().queryParam("from", "1989-01-01").queryParam("to", "1989-02-01").queryParam("by", "CUSTOMER")
                    .queryParam("segmentId", everyone).get("/v1/admin/reports/sales").then().statusCode(200).extract().jsonPath();
            assertEquals(List.of(a.toString(), b.toString()), customersOfEveryone.getList("rows.key"));
            assertDay(customersOfEveryone, "totals", Map.of("count", 4, "amountMinorUnits", 18_000));
            LedgerApi.enroll();
        }
        given().queryParam("from", "1989-01-01").queryParam("to", "1989-03-01").get("/v1/admin/reports/members").then().statusCode(200)
                .body("months[0].couponsIssued", equalTo(6));
        assertTrue(Database.single(pool, "SELECT bool_and(complement) FROM segment_member_snapshots WHERE segment_id = $1",
                UUID.fromString(everyone)).getBoolean(0), "the snapshot keeps the members left out");
    }

    /**
     * Earn-burn and sales narrowed to the tier a member had when each transfer was recorded, and
     * sales and breakage narrowed to a channel, on two members in March 1987 in Seoul:
     *
     * <pre>
     *  transfer                                   member tier then  channel  line items
     *  03-05 earn 100 for 10 000                  G      BASIC      POS      SKU-X (cups) x1 at 10 000
     *  03-10 G moves from BASIC to GOLD
     *  03-15 earn 200 for 20 000                  G      GOLD       ONLINE   SKU-X x2 at 10 000
     *  03-15 earn 50 for 5 000                    S      SILVER     POS      SKU-Y (mugs) x1 at 5 000
     *  03-20 redeem 30, from the lot of 03-05     G      GOLD       ONLINE
     * </pre>
     *
     * Earn-burn issued: BASIC 100, GOLD 200 (and 30 redeemed), SILVER 50; GOLD through POS none.
     * Sales to GOLD: SKU-X, 2 units, 20 000, one purchase; through POS: SKU-X 10 000 and SKU-Y
     * 5 000, two purchases; cups 10 000 and mugs 5 000; through ONLINE to BASIC: none; to BASIC by
     * month: March 10 000. Breakage of March: issued through POS 150, of which 30 redeemed (the
     * redemption went ONLINE, the points were issued at the till); through ONLINE 200, none.
     */
    @Test
    void shouldNarrowEarnBurnAndSalesToTheTierAtTheTimeAndSalesAndBreakageToAChannel() {
        String partnerId = Partners.create(1_000, "earn").partnerId();
        UUID gold = memberEnrolled("1987-01-05T03:00:00Z", "ONLINE");
        UUID silver = memberEnrolled("1987-01-06T03:00:00Z", "OFFLINE");
        Database.execute(pool, "UPDATE member_accounts SET tier = 'GOLD' WHERE member_id = $1", gold);
        Database.execute(pool, "UPDATE member_accounts SET tier = 'SILVER' WHERE member_id = $1", silver);
        tierChange(gold, "BASIC", "GOLD", "1987-03-10T03:00:00Z");
        UUID atTheTill = transferThrough("POS", gold, "EARN", 100, 100, 0, partnerId, 10_000L, null, "1987-03-05T03:00:00Z",
                items("SKU-X", "cups", 1, 10_000));
        long tillLot = lot(gold, atTheTill, 100, "2990-01-01T00:00:00Z");
        UUID online = transferThrough("ONLINE", gold, "EARN", 200, 200, 0, partnerId, 20_000L, null, "1987-03-15T03:00:00Z",
                items("SKU-X", "cups", 2, 10_000));
        lot(gold, online, 200, "2990-01-01T00:00:00Z");
        UUID mug = transferThrough("POS", silver, "EARN", 50, 50, 0, partnerId, 5_000L, null, "1987-03-15T04:00:00Z",
                items("SKU-Y", "mugs", 1, 5_000));
        lot(silver, mug, 50, "2990-01-01T00:00:00Z");
        UUID redeem = transferThrough("ONLINE", gold, "REDEEM", 30, -30, 0, partnerId, null, null, "1987-03-20T03:00:00Z", new JsonObject());
        movement(redeem, gold, tillLot, -30);
        rollUpDays("1987-03-01", "1987-03-31");

        assertEquals(List.of(100, 0), earnBurnTotals(Map.of("tier", "BASIC")));
        assertEquals(List.of(200, 30), earnBurnTotals(Map.of("tier", "GOLD")));
        assertEquals(List.of(50, 0), earnBurnTotals(Map.of("tier", "SILVER")));
        assertEquals(List.of(0, 0), earnBurnTotals(Map.of("tier", "GOLD", "channel", "POS")));
        assertEquals(List.of(350, 30), earnBurnTotals(Map.of("partnerId", partnerId)));

        JsonPath toGold = salesOf1987("PRODUCT", Map.of("tier", "GOLD"));
        assertEquals(List.of("SKU-X"), toGold.getList("rows.key"));
        assertDay(toGold, "rows[0]", Map.of("quantity", 2, "amountMinorUnits", 20_000, "category", "cups"));
        assertDay(toGold, "totals", Map.of("count", 1, "amountMinorUnits", 20_000));
        JsonPath atTills = salesOf1987("PRODUCT", Map.of("channel", "POS"));
        assertEquals(List.of("SKU-X", "SKU-Y"), atTills.getList("rows.key"));
        assertEquals(List.of(10_000, 5_000), atTills.getList("rows.amountMinorUnits"));
        assertDay(atTills, "totals", Map.of("count", 2, "amountMinorUnits", 15_000));
        assertEquals(List.of("cups", "mugs"), salesOf1987("CATEGORY", Map.of("channel", "POS")).getList("rows.key"));
        JsonPath none = salesOf1987("PRODUCT", Map.of("channel", "ONLINE", "tier", "BASIC"));
        assertEquals(List.of(), none.getList("rows"));
        assertDay(none, "totals", Map.of("count", 0, "amountMinorUnits", 0));
        assertEquals(List.of(10_000), salesOf1987("MONTH", Map.of("tier", "BASIC")).getList("rows.amountMinorUnits"));
        JsonPath whole = salesOf1987("PRODUCT", Map.of("partnerId", partnerId));
        assertEquals(List.of(30_000, 5_000), whole.getList("rows.amountMinorUnits"), "the rows per product add up the channels and tiers");
        assertEquals(List.of(3, 1), whole.getList("rows.quantity"));

        assertDay(breakageOf1987(Map.of("channel", "POS", "partnerId", partnerId)), "cohorts[0]", Map.of("month", "1987-03", "issued", 150,
                "redeemed", 30));
        assertDay(breakageOf1987(Map.of("channel", "ONLINE", "partnerId", partnerId)), "cohorts[0]", Map.of("issued", 200, "redeemed", 0));
        assertDay(breakageOf1987(Map.of("partnerId", partnerId)), "cohorts[0]", Map.of("issued", 350, "redeemed", 30));

        for (String filter : List.of("tier", "channel")) {
            given().queryParam("by", "CUSTOMER").queryParam(filter, filter.equals("tier") ? "GOLD" : "POS").get("/v1/admin/reports/sales")
                    .then().statusCode(400).body("violations[0].field", equalTo(filter));
        }
    }

    private static JsonObject items(String sku, String category, int quantity, long unitPrice) {
        return new JsonObject().put("items", new JsonArray().add(new JsonObject().put("sku", sku).put("category", category)
                .put("quantity", quantity).put("unitPrice", unitPrice)));
    }

    /** Issued and redeemed over March 1987, narrowed as {@code filters} says. */
    private static List<Integer> earnBurnTotals(Map<String, String> filters) {
        JsonPath report = given().queryParams(filters).queryParam("from", "1987-03-01").queryParam("to", "1987-04-01")
                .get("/v1/admin/reports/earn-burn").then().statusCode(200).extract().jsonPath();
        assertEquals(filters.get("tier"), report.getString("tier"));
        return List.of(report.getInt("totals.issued"), report.getInt("totals.redeemed"));
    }

    private static JsonPath salesOf1987(String by, Map<String, String> filters) {
        return given().queryParams(filters).queryParam("by", by).queryParam("from", "1987-03-01").queryParam("to", "1987-04-01")
                .get("/v1/admin/reports/sales").then().statusCode(200).body("channel", equalTo(filters.get("channel")))
                .body("tier", equalTo(filters.get("tier"))).extract().jsonPath();
    }

    private static JsonPath breakageOf1987(Map<String, String> filters) {
        return given().queryParams(filters).queryParam("from", "1987-03-01").queryParam("to", "1987-04-01")
                .get("/v1/admin/reports/breakage").then().statusCode(200).body("channel", equalTo(filters.get("channel"))).extract().jsonPath();
    }

    /**
     * A day an instance of an older format rolled up (during a rolling deploy) counts as not rolled
     * up, and its rollup takes it over. Rolled up whole after the next day's slices, it brings a
     * purchase committed late: the member's first purchase of the month moves back to it, and the
     * next day's becomes their repurchase.
     */
    @Test
    void shouldTakeOverADayOfAnOlderFormatAndPutAPurchaseCommittedLateFirst() {
        String partnerId = Partners.create(1_000, "earn").partnerId();
        UUID member = memberEnrolled("1998-02-01T03:00:00Z", "ONLINE");
        Database.execute(pool, "INSERT INTO report_rollup_days (day, version) VALUES ('1998-03-01', 1)");
        purchase(member, partnerId, "1998-03-02T03:00:00Z", 5_000);
        LocalDate second = LocalDate.parse("1998-03-02");
        assertTrue(rollups.rollUpSlice(second, rollups.startOf(second), rollups.startOf(second.plusDays(1))).await().atMost(WAIT));
        purchase(member, partnerId, "1998-03-01T03:00:00Z", 2_000);
        Database.execute(pool, "UPDATE member_accounts SET posted = 20 WHERE member_id = $1", member);

        rollUpDays("1998-03-01", "1998-03-01");

        assertEquals(ReportRepository.ROLLUP_VERSION, Database.single(pool, "SELECT version FROM report_rollup_days WHERE day = '1998-03-01'")
                .getInteger(0));
        JsonPath report = given().queryParam("from", "1998-03-01").queryParam("to", "1998-04-01").queryParam("repurchaseDays", 1)
                .get("/v1/admin/reports/members").then().statusCode(200).extract().jsonPath();
        assertDay(report, "months[0]", Map.of("activeMembers", 1, "repurchaseSettled", 1, "repurchased", 1));
        assertEquals(OffsetDateTime.parse("1998-03-03T00:00+09:00").toInstant(),
                OffsetDateTime.parse(report.getString("recordedUntil")).toInstant(), "the 1st whole, then the 2nd's slices");
    }

    private UUID memberEnrolled(String at, String channel) {
        UUID member = LedgerApi.enroll();
        Database.execute(pool, "UPDATE members SET enrolled_at = $2, enrollment_channel = $3 WHERE member_id = $1", member,
                OffsetDateTime.parse(at), channel);
        return member;
    }

    /** An earn of 10 points for {@code amount}; its lot. */
    private long purchase(UUID member, String partnerId, String at, long amount) {
        UUID earn = transfer(member, "EARN", 10, 10, 0, partnerId, amount, null, at, new JsonObject());
        return lot(member, earn, 10, "2990-01-01T00:00:00Z");
    }

    private UUID couponDefinition() {
        UUID definition = UUID.randomUUID();
        Database.execute(pool, "INSERT INTO coupon_definitions (definition_id, definition, created_by) VALUES ($1, '{}'::jsonb, 'test')",
                definition);
        return definition;
    }

    /** A coupon of the member's issued at {@code issuedAt}, and redeemed at {@code redeemedAt} unless that is null. */
    private void coupon(UUID definition, UUID member, String issuedAt, String redeemedAt) {
        Database.execute(pool, """
                INSERT INTO coupons (code, definition_id, member_id, status, issued_at, redeemed_at) VALUES ($1, $2, $3, $4, $5, $6)""",
                "R" + UUID.randomUUID().toString().replace("-", "").substring(0, 14).toUpperCase(), definition, member,
                redeemedAt == null ? "ISSUED" : "REDEEMED", OffsetDateTime.parse(issuedAt),
                redeemedAt == null ? null : OffsetDateTime.parse(redeemedAt));
    }

    private void tierChange(UUID member, String from, String to, String at) {
        Database.execute(pool, "INSERT INTO tier_changes (member_id, from_tier, to_tier, reason, changed_at) VALUES ($1, $2, $3, 'test', $4)",
                member, from, to, OffsetDateTime.parse(at));
    }

    private static JsonPath earnBurnOf(String partnerId, LocalDate day) {
        return given().queryParam("from", day.minusDays(1).toString()).queryParam("to", day.plusDays(2).toString()).queryParam("partnerId", partnerId)
                .get("/v1/admin/reports/earn-burn").then().statusCode(200).extract().jsonPath();
    }

    /** The partner's figures around {@code day} in every report, without what says when they were read. */
    private static Map<String, Object> everyReportOf(String partnerId, LocalDate day) {
        Map<String, Object> earnBurn = earnBurnOf(partnerId, day).getMap("");
        earnBurn.remove("recordedUntil");
        JsonPath breakage = given().queryParam("from", day.withDayOfMonth(1).minusMonths(1).toString()).queryParam("to",
                day.withDayOfMonth(1).plusMonths(2).toString()).queryParam("partnerId", partnerId).get("/v1/admin/reports/breakage").then()
                .statusCode(200).extract().jsonPath();
        Long liability = given().get("/v1/admin/reports/liability").then().statusCode(200).extract().jsonPath()
                .getLong("byPartnerOfIssue.find { it.partnerId == '" + partnerId + "' }.outstandingPoints");
        return Map.of("earnBurn", earnBurn, "breakage", breakage.getList("cohorts"), "liability", liability,
                "products", salesOfTheDay(partnerId, "PRODUCT", day), "week", salesOfTheDay(partnerId, "WEEKDAY_HOUR", day),
                "productsAtTillsToBasic", salesOfTheDay(partnerId, "PRODUCT", day, Map.of("channel", "POS", "tier", "BASIC")));
    }

    /**
     * A partner's share of the liability is what is left of the points it issued, through the write
     * path: two members earn at its till, one redeems, the other's purchase is returned. What the
     * report gives for the partner equals those members' balances. The tiers add up to the total,
     * and expiring horizons nest.
     */
    @Test
    void shouldAnswerALiabilityWhosePartsAddUpAndACsvOfIt() {
        Partners.TestPartner till = Partners.create(1_000, "earn", "redeem", "reverse", "read");
        UUID spender = LedgerApi.enroll();
        UUID returner = LedgerApi.enroll();
        LedgerApi.earnForAmountAs(till.apiKey(), spender, UUID.randomUUID().toString(), 20_000).then().statusCode(201);
        String returned = LedgerApi.earnForAmountAs(till.apiKey(), returner, UUID.randomUUID().toString(), 15_000).then().statusCode(201)
                .extract().path("transactionId");
        LedgerApi.redeemAs(till.apiKey(), spender, UUID.randomUUID().toString(), 50).then().statusCode(201);
        LedgerApi.as(till.apiKey()).contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("reason", "returned")).post("/v1/transactions/{id}/reverse", returned).then().statusCode(201);
        UUID expiringSoon = LedgerApi.enroll();
        LedgerApi.earn(expiringSoon, UUID.randomUUID().toString(), Map.of("orderId", "o-" + expiringSoon, "amount", Map.of("value", 10_000,
                "currency", "USD"), "channel", "POS", "occurredAt", OffsetDateTime.now(ZoneOffset.UTC).minusMonths(12).plusDays(10).toString()))
                .then().statusCode(201);
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Seoul"));
        rollUpDays(today.minusDays(1).toString(), today.toString());

        JsonPath liability = given().get("/v1/admin/reports/liability").then().statusCode(200).extract().jsonPath();
        assertEquals(LedgerApi.available(spender) + LedgerApi.available(returner),
                liability.getLong("byPartnerOfIssue.find { it.partnerId == '" + till.partnerId() + "' }.outstandingPoints"),
                "what is left of the partner's points is its members' balances");
        long outstanding = liability.getLong("outstandingPoints");
        assertEquals(outstanding, liability.getList("byTier.outstandingPoints", Long.class).stream().mapToLong(Long::longValue).sum());
        assertEquals(outstanding, liability.getList("byPartnerOfIssue.outstandingPoints", Long.class).stream().mapToLong(Long::longValue).sum()
                + liability.getLong("notYetAttributedPoints"), "what the partners issued and what is not attributed yet");
        List<Long> expiring = liability.getList("expiring.points", Long.class);
        assertTrue(expiring.get(0) >= 100 && expiring.get(0) <= expiring.get(1) && expiring.get(1) <= expiring.get(2), "expiring: " + expiring);

        given().accept("text/csv").get("/v1/admin/reports/liability").then().statusCode(200)
                .contentType(startsWith("text/csv")).body(startsWith("section,key,members,points,heldPoints,valueMinorUnits\r\ntotal,all,"));
    }

    /** Bad periods and filters are refused naming the parameter. */
    @Test
    void shouldRefuseABadPeriodOrFilter() {
        given().queryParam("from", "2026-02-30").get("/v1/admin/reports/earn-burn").then().statusCode(400).body("violations[0].field", equalTo("from"));
        given().queryParam("from", "2026-03-01").queryParam("to", "2026-03-01").get("/v1/admin/reports/earn-burn").then().statusCode(400)
                .body("violations[0].field", equalTo("to"));
        given().queryParam("from", "2020-01-01").queryParam("to", "2026-01-01").get("/v1/admin/reports/breakage").then().statusCode(400)
                .body("violations[0].field", equalTo("to"));
        given().queryParam("tier", "PLATINUM").get("/v1/admin/reports/liability").then().statusCode(400).body("violations[0].field", equalTo("tier"));
        given().queryParam("partnerId", "a\u0000b").get("/v1/admin/reports/earn-burn").then().statusCode(400).body("violations[0].field", equalTo("partnerId"));
        String anySegment = Segments.saved("F >= 1");
        given().queryParam("segmentId", anySegment).queryParam("by", "PRODUCT").get("/v1/admin/reports/sales").then().statusCode(400)
                .body("violations[0].field", equalTo("segmentId"));
        given().queryParam("segmentId", UUID.randomUUID()).get("/v1/admin/reports/liability").then().statusCode(404)
                .body("code", equalTo("SEGMENT_NOT_FOUND"));
    }

    private static void assertSales(String partnerId) {
        JsonPath products = sales("PRODUCT", partnerId);
        assertEquals(List.of("SKU-A", "SKU-B"), products.getList("rows.key"));
        assertDay(products, "rows[0]", Map.of("category", "shoes", "count", 2, "quantity", 3, "amountMinorUnits", 110_000,
                "previousAmountMinorUnits", 0));
        assertNull(products.get("rows[0].change"), "nothing sold before, no change");
        assertDay(products, "rows[1]", Map.of("count", 1, "quantity", 1, "amountMinorUnits", 40_000));
        assertDay(products, "totals", Map.of("key", "total", "count", 2, "amountMinorUnits", 150_000));
        JsonPath categories = sales("CATEGORY", partnerId);
        assertEquals(List.of("shoes", ""), categories.getList("rows.key"));
        assertEquals(List.of(110_000, 40_000), categories.getList("rows.amountMinorUnits"));
        JsonPath customers = sales("CUSTOMER", null);
        assertEquals(List.of(100_000, 50_000), customers.getList("rows.amountMinorUnits"));
        JsonPath months = sales("MONTH", partnerId);
        assertEquals(List.of("1991-01", "1991-02", "1991-03"), months.getList("rows.key"));
        assertEquals(List.of(100_000, 50_000, 0), months.getList("rows.amountMinorUnits"));
        assertEquals(List.of(150_000), sales("QUARTER", partnerId).getList("rows.amountMinorUnits"));
        JsonPath week = sales("WEEKDAY_HOUR", partnerId);
        assertEquals(168, week.getList("rows").size());
        assertEquals(Map.of("THURSDAY 23", 100_000, "FRIDAY 10", 50_000), week.getList("rows", Map.class).stream()
                .filter(row -> ((Number) row.get("amountMinorUnits")).longValue() > 0)
                .collect(java.util.stream.Collectors.toMap(row -> (String) row.get("key"), row -> row.get("amountMinorUnits"))));
    }

    private static JsonPath sales(String by, String partnerId) {
        // Customers are ranked over 31 days at most: both purchases are in the first two.
        String to = "CUSTOMER".equals(by) ? "1991-03-02" : "1991-03-17";
        var request = given().queryParam("from", "1991-01-31").queryParam("to", to).queryParam("by", by);
        if (partnerId != null) {
            request.queryParam("partnerId", partnerId);
        }
        return request.get("/v1/admin/reports/sales").then().statusCode(200).extract().jsonPath();
    }

    private static void assertDay(JsonPath report, String path, Map<String, Object> expected) {
        Map<String, Object> found = report.getMap(path);
        expected.forEach((figure, value) -> assertEquals(value, found.get(figure), path + "." + figure));
    }

    /** The rows and totals of a sales report of 1993-02-01 (not where they were read from). */
    private static Map<String, Object> salesOfTheDay(String partnerId, String by, LocalDate day) {
        return salesOfTheDay(partnerId, by, day, Map.of());
    }

    private static Map<String, Object> salesOfTheDay(String partnerId, String by, LocalDate day, Map<String, String> filters) {
        JsonPath report = given().queryParams(filters).queryParam("from", day.toString()).queryParam("to", day.plusDays(1).toString()).queryParam("by", by)
                .queryParam("partnerId", partnerId).get("/v1/admin/reports/sales").then().statusCode(200).extract().jsonPath();
        return Map.of("rows", report.getList("rows"), "totals", report.getMap("totals"));
    }

    private static List<ReportRepository.TransferDay> sorted(List<ReportRepository.TransferDay> rows) {
        return rows.stream().sorted(Comparator.comparing(ReportRepository.TransferDay::partnerId).thenComparing(ReportRepository.TransferDay::kind)
                .thenComparing(ReportRepository.TransferDay::channel)).toList();
    }

    /** The ledger of the class comment, written as the write path leaves one: transfers, lots, movements, the hold and the accounts. */
    private void writeFixedLedger(String partnerId, UUID campaign, int year) {
        UUID first = LedgerApi.enroll();
        UUID second = LedgerApi.enroll();
        JsonObject bonus = new JsonObject().put("items", new JsonArray()
                        .add(new JsonObject().put("sku", "SKU-A").put("category", "shoes").put("quantity", 2).put("unitPrice", 30_000))
                        .add(new JsonObject().put("sku", "SKU-B").putNull("category").put("quantity", 1).put("unitPrice", 40_000)))
                .put("bonuses", new JsonArray().add(new JsonObject().put("campaignId", campaign.toString()).put("campaignVersion", 1).put("points", 100)));
        UUID earn = transfer(first, "EARN", 1000, 1000, 0, partnerId, 100_000L, null, year + "-01-31T14:30:00Z", bonus);
        long firstLot = lot(first, earn, 1000, year + "-02-28T15:00:00Z");
        UUID redeem = transfer(first, "REDEEM", 300, -300, 0, partnerId, null, null, year + "-01-31T15:30:00Z", new JsonObject());
        movement(redeem, first, firstLot, -300);
        UUID secondEarn = transfer(second, "EARN", 500, 500, 0, partnerId, 50_000L, null, year + "-02-01T01:00:00Z",
                new JsonObject().put("items", new JsonArray()
                        .add(new JsonObject().put("sku", "SKU-A").put("category", "shoes").put("quantity", 1).put("unitPrice", 50_000)))
                        .put("bonuses", new JsonArray()));
        long secondLot = lot(second, secondEarn, 500, (year + 1) + "-02-01T15:00:00Z");
        UUID hold = transfer(second, "HOLD", 400, 0, 400, partnerId, null, null, year + "-02-01T02:00:00Z", new JsonObject());
        UUID capture = transfer(second, "CAPTURE", 250, -250, -400, partnerId, null, hold, year + "-02-01T03:00:00Z", new JsonObject());
        movement(capture, second, secondLot, -250);
        Database.execute(pool, """
                INSERT INTO holds (hold_id, member_id, partner_id, points, status, captured_points, channel, expires_at, created_at,
                                   resolved_at, resolved_by_transfer_id)
                VALUES ($1, $2, $3, 400, 'CAPTURED', 250, 'POS', '1991-02-08T02:00:00Z', '1991-02-01T02:00:00Z', '1991-02-01T03:00:00Z', $4)""",
                hold, second, partnerId, capture);
        UUID refund = transfer(first, "REVERSAL", 100, 100, 0, partnerId, null, redeem, year + "-02-02T00:00:00Z", new JsonObject());
        movement(refund, first, firstLot, 100);
        UUID expiry = transfer(first, "EXPIRY", 800, -800, 0, "operator", null, null, year + "-02-28T15:10:00Z", new JsonObject());
        movement(expiry, first, firstLot, -800);
        UUID returned = transfer(second, "REVERSAL", 100, -100, 0, partnerId, null, secondEarn, year + "-03-16T00:00:00Z", new JsonObject());
        movement(returned, second, secondLot, -100);
        Database.execute(pool, "UPDATE point_lots SET remaining = 0 WHERE lot_id = $1", firstLot);
        Database.execute(pool, "UPDATE point_lots SET remaining = 150 WHERE lot_id = $1", secondLot);
        Database.execute(pool, "UPDATE member_accounts SET posted = 150 WHERE member_id = $1", second);
    }

    private UUID transfer(UUID member, String kind, long points, long posted, long held, String partnerId, Long amount, UUID related,
            String recordedAt, JsonObject metadata) {
        return transferThrough("POS", member, kind, points, posted, held, partnerId, amount, related, recordedAt, metadata);
    }

    private UUID transferThrough(String channel, UUID member, String kind, long points, long posted, long held, String partnerId,
            Long amount, UUID related, String recordedAt, JsonObject metadata) {
        UUID transferId = UUID.randomUUID();
        OffsetDateTime at = OffsetDateTime.parse(recordedAt);
        Database.execute(pool, """
                INSERT INTO transfers (transfer_id, kind, member_id, points, posted_delta, held_delta, partner_id, channel,
                                       related_transfer_id, amount_minor_units, currency, occurred_at, recorded_at, metadata)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $12, $8, $9, CASE WHEN $9::bigint IS NULL THEN NULL ELSE 'USD' END, $10, $10, $11)""",
                transferId, kind, member, points, posted, held, partnerId, related, amount, at, metadata, channel);
        return transferId;
    }

    private long lot(UUID member, UUID source, long credited, String expiresAt) {
        return Database.single(pool, """
                INSERT INTO point_lots (member_id, source_transfer_id, expires_at, remaining, credited) VALUES ($1, $2, $3, $4, $4)
                RETURNING lot_id""", member, source, OffsetDateTime.parse(expiresAt), credited).getLong(0);
    }

    private void movement(UUID transferId, UUID member, long lotId, long points) {
        Database.execute(pool, "INSERT INTO lot_movements (transfer_id, member_id, lot_id, points) VALUES ($1, $2, $3, $4)",
                transferId, member, lotId, points);
    }
}
