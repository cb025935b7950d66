package io.pointsledger.reports;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.Database;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Rollups a test makes itself, from nothing, for the reports of what it wrote: reports read the
 * rollups alone. They are derived from the transfers, so forgetting them loses nothing.
 */
final class RollupsByHand {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final List<String> TABLES = List.of("report_transfer_days", "report_bonus_days", "report_lot_days", "report_item_days", "report_item_filter_days",
            "report_hour_days", "report_member_days", "report_cohort_days", "report_member_months", "report_rollup_days",
            "report_rollup_slices");

    /** No scheduled rollup: the test says what is rolled up. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("points-ledger.reports.rollups-enabled", "false");
        }
    }

    private RollupsByHand() {
    }

    static void forgetAll(Pool pool) {
        TABLES.forEach(table -> Database.execute(pool, "DELETE FROM " + table));
    }

    /** Rolls up every day from {@code first} to {@code last} as a whole, in order, as the scheduled rollups do (ended or not). */
    static void rollUpDays(ReportRollups rollups, LocalDate first, LocalDate last) {
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            assertTrue(rollups.rollUp(day).await().atMost(WAIT), "rolled up " + day);
        }
    }
}
