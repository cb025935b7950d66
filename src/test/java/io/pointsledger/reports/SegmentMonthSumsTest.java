package io.pointsledger.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.segments.SegmentSnapshot;
import io.pointsledger.segments.SegmentSnapshots;
import io.pointsledger.support.Database;
import io.pointsledger.support.LedgerApi;
import io.pointsledger.support.OwnerDatabase;
import io.pointsledger.support.Segments;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The members report narrowed to a segment reads the buyers of the settled months from sums taken
 * once per count of the segment, and joins the months after them with the segment's members: both
 * give the same figures, which a hand count of the buyers' rows gives too. The sums are taken here
 * by hand over chosen months (none in the background: segment-months-summed is 0).
 */
@QuarkusTest
@TestProfile(SegmentMonthSumsTest.SumsByHand.class)
class SegmentMonthSumsTest {

    public static class SumsByHand implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("points-ledger.reports.segment-months-summed", "0");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final LocalDate JANUARY = LocalDate.parse("1985-01-01");
    private static final LocalDate FEBRUARY = JANUARY.plusMonths(1);
    private static final LocalDate MARCH = JANUARY.plusMonths(2);
    private static final LocalDate APRIL = JANUARY.plusMonths(3);

    @Inject
    Pool pool;

    @Inject
    OwnerDatabase owner;

    @Inject
    ReportRepository repository;

    @Inject
    SegmentSnapshots snapshots;

    @Test
    void shouldGiveTheSameRepurchasesFromTheSumsOfSettledMonthsAsFromTheJoinWithTheSegmentsMembers() {
        String region = "region-" + UUID.randomUUID();
        UUID first = member(region);
        UUID second = member(region);
        UUID third = member(region);
        UUID fourth = member(region);
        UUID outside = member("elsewhere-" + UUID.randomUUID());
        // January: back after 5 days, after exactly 10, after 15, never; one outside the segment, back after 1.
        bought(JANUARY, first, 3, 5);
        bought(JANUARY, fourth, 4, 10);
        bought(JANUARY, second, 10, 15);
        bought(JANUARY, third, 20, null);
        bought(JANUARY, outside, 1, 1);
        // February: never back, and back after 40 days (past any window a report measures).
        bought(FEBRUARY, first, 1, null);
        bought(FEBRUARY, third, 2, 40);
        // March, after the sums: back after exactly 31 days.
        bought(MARCH, second, 1, 31);
        SegmentSnapshot snapshot = snapshots.fresh(UUID.fromString(Segments.saved("region = '" + region + "'"))).await().atMost(WAIT);

        Map<LocalDate, List<Long>> joined = activeMonths(snapshot, 10);
        Map<LocalDate, List<Long>> joinedWithin31 = activeMonths(snapshot, 31);
        assertTrue(repository.sumMonths(snapshot, JANUARY, MARCH, WAIT).await().atMost(WAIT), "summed");
        assertFalse(repository.sumMonths(snapshot, JANUARY, MARCH, WAIT).await().atMost(WAIT), "summed once");

        Map<LocalDate, List<Long>> hand = Map.of(JANUARY, List.of(4L, 4L, 2L), FEBRUARY, List.of(2L, 2L, 0L), MARCH, List.of(1L, 1L, 0L));
        assertEquals(hand, joined, "active, settled and back within 10 days (10 included), per month, from the join");
        assertEquals(hand, activeMonths(snapshot, 10), "the same from the sums of January and February");
        Map<LocalDate, List<Long>> within31 = Map.of(JANUARY, List.of(4L, 4L, 3L), FEBRUARY, List.of(2L, 2L, 0L), MARCH, List.of(1L, 1L, 1L));
        assertEquals(within31, joinedWithin31, "within 31 days: the second member of January too, and of March (31 included)");
        assertEquals(within31, activeMonths(snapshot, 31), "the same from the sums");
        assertEquals(6L, Database.single(pool, "SELECT count(*) FROM segment_snapshot_member_months WHERE snapshot_id = $1",
                snapshot.snapshotId()).getLong(0), "a row per month, first day and days to the next purchase: six here");

        // A change no purchase makes to a summed month shows which months a report reads from the sums.
        Database.execute(owner.pool(), "UPDATE report_member_months SET again_day = first_day + 2 WHERE month = $1 AND member_id = $2",
                FEBRUARY, first);
        assertEquals(List.of(2L, 2L, 0L), activeMonths(snapshot, JANUARY, 10, APRIL.plusMonths(2)).get(FEBRUARY),
                "February summed and settled: read from the sums");
        assertEquals(List.of(2L, 2L, 1L), activeMonths(snapshot, JANUARY, 10, APRIL).get(FEBRUARY),
                "the rollups held only through March: February's buyers could still change, and are joined");
        assertEquals(List.of(2L, 2L, 1L), activeMonths(snapshot, JANUARY.minusMonths(1), 10, APRIL.plusMonths(2)).get(FEBRUARY),
                "a report from before the summed months joins every month");
        Database.execute(owner.pool(), "UPDATE segment_member_snapshots SET months_summed_version = months_summed_version - 1"
                + " WHERE snapshot_id = $1", snapshot.snapshotId());
        assertEquals(List.of(2L, 2L, 1L), activeMonths(snapshot, JANUARY, 10, APRIL.plusMonths(2)).get(FEBRUARY),
                "sums from rollups of another format are not read: the months may have been rolled up again since");
    }

    /** A segment of nearly every member keeps those it leaves out: its sums leave them out as its join does. */
    @Test
    void shouldSumTheMembersOfASegmentKeptByTheOnesItLeavesOutAsItsJoinCountsThem() {
        String region = "region-" + UUID.randomUUID();
        UUID back = member(region);
        UUID leftOut = member(region);
        Database.execute(pool, "UPDATE member_accounts SET tier = 'GOLD' WHERE member_id = $1", leftOut);
        bought(APRIL.minusMonths(1).plusYears(1), back, 4, 6);
        bought(APRIL.minusMonths(1).plusYears(1), leftOut, 4, 6);
        SegmentSnapshot snapshot = snapshots.fresh(UUID.fromString(Segments.saved("NOT tier IN ('GOLD')"))).await().atMost(WAIT);
        assertTrue(snapshot.complement(), "keeps the members it leaves out: " + snapshot);
        LocalDate march = MARCH.plusYears(1);

        List<Long> joined = activeMonths(snapshot, march, 10).get(march);
        assertTrue(repository.sumMonths(snapshot, march, march.plusMonths(1), WAIT).await().atMost(WAIT), "summed");

        assertEquals(List.of(1L, 1L, 1L), joined, "the member in the segment, not the one left out");
        assertEquals(joined, activeMonths(snapshot, march, 10).get(march), "the same from the sums");
    }

    /** Per month of January to March: active members, settled ones, and those back within {@code repurchaseDays}. */
    private Map<LocalDate, List<Long>> activeMonths(SegmentSnapshot snapshot, int repurchaseDays) {
        return activeMonths(snapshot, JANUARY, repurchaseDays);
    }

    /** The same for the three months from {@code first}, every day through the second month after them held. */
    private Map<LocalDate, List<Long>> activeMonths(SegmentSnapshot snapshot, LocalDate first, int repurchaseDays) {
        return activeMonths(snapshot, first, repurchaseDays, first.plusMonths(5));
    }

    /** The same when the rollups hold every day before {@code firstDayNotWhole}. */
    private Map<LocalDate, List<Long>> activeMonths(SegmentSnapshot snapshot, LocalDate first, int repurchaseDays, LocalDate firstDayNotWhole) {
        return repository.inSnapshot(snapshot, (client, members) -> repository.monthFigures(client, first, first.plusMonths(3),
                        ZoneOffset.UTC, repurchaseDays, firstDayNotWhole, members)).await().atMost(WAIT).active().stream()
                .collect(Collectors.toMap(ReportRepository.ActiveMonth::month,
                        month -> List.of(month.active(), month.settled(), month.cameBack())));
    }

    private UUID member(String region) {
        UUID member = LedgerApi.enroll();
        Database.execute(pool, "UPDATE members SET region = $2 WHERE member_id = $1", member, region);
        return member;
    }

    /** A buyer's row of {@code month}: first purchase on its day {@code firstDay}, the next {@code daysToNext} later (or none). */
    private void bought(LocalDate month, UUID member, int firstDay, Integer daysToNext) {
        LocalDate day = month.plusDays(firstDay - 1);
        Database.execute(owner.pool(), "INSERT INTO report_member_months (month, member_id, first_day, again_day) VALUES ($1, $2, $3, $4)",
                month, member, day, daysToNext == null ? null : day.plusDays(daysToNext));
    }
}
