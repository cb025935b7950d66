package io.pointsledger.reports;

import io.pointsledger.segments.SegmentSnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * All SQL of reports. Each of the three day aggregations reads the transfers recorded in
 * [{@code $1}, {@code $2}) and names days in time zone {@code $3}: a rollup stores what it gives
 * for a day that has ended, and a report asks it directly for the days not rolled up yet.
 */
@ApplicationScoped
class ReportRepository {

    // Every sum is held at bigint's ends (LEAST, GREATEST): no day's figures may fail a rollup's
    // insert, which would stop every later day, nor wrap when read. Each amount and point figure a
    // transfer holds is bounded far below; only a day of millions of extreme ones could reach them.

    /**
     * {@code at_time.tier}: the member's tier when transfer {@code t} was recorded, the tier their
     * first change after it left, or with none since, their tier now; joined once per transfer,
     * before any expansion of its line items or bonuses. The same whenever it is read, so a day
     * rolled up whole gives what its slices gave, but for a transfer recorded within moments of a
     * change (a change is dated by its instance's clock before it takes the account's lock): it
     * may count at either tier. Changes are recorded from V49 on: across an older one, a transfer
     * counts at the tier that followed it.
     */
    private static final String AT_THE_TIME = """
             CROSS JOIN LATERAL (SELECT COALESCE(
                    (SELECT c.from_tier FROM tier_changes c WHERE c.member_id = t.member_id AND c.changed_at > t.recorded_at
                      ORDER BY c.changed_at, c.sequence LIMIT 1),
                    (SELECT a.tier FROM member_accounts a WHERE a.member_id = t.member_id)) AS tier) at_time
            """;

    /** The day's transfers per partner, channel, kind and tier, with the campaign bonuses inside EARN points. */
    private static final String TRANSFER_DAYS = """
            SELECT (t.recorded_at AT TIME ZONE $3)::date AS day, t.partner_id, t.channel, t.kind, at_time.tier, count(*) AS transfers,
                   LEAST(sum(t.points), 9223372036854775807)::bigint AS points, GREATEST(LEAST(sum(t.posted_delta), 9223372036854775807), -9223372036854775807 - 1)::bigint AS posted_delta,
                   GREATEST(LEAST(sum(t.held_delta), 9223372036854775807), -9223372036854775807 - 1)::bigint AS held_delta,
                   LEAST(COALESCE(sum(bonus.points), 0), 9223372036854775807)::bigint AS bonus_points,
                   LEAST(COALESCE(sum(t.amount_minor_units), 0), 9223372036854775807)::bigint AS amount_minor_units
              FROM transfers t
            """ + AT_THE_TIME + """
              LEFT JOIN LATERAL (
                   SELECT sum((b ->> 'points')::bigint) AS points
                     FROM jsonb_array_elements(CASE WHEN t.kind = 'EARN' AND jsonb_typeof(t.metadata -> 'bonuses') = 'array'
                                                    THEN t.metadata -> 'bonuses' END) b) bonus ON true
             WHERE t.recorded_at >= $1 AND t.recorded_at < $2
             GROUP BY 1, 2, 3, 4, 5""";

    private static final String BONUS_DAYS = """
            SELECT (t.recorded_at AT TIME ZONE $3)::date AS day, t.partner_id, t.channel, (b ->> 'campaignId')::uuid AS campaign_id,
                   at_time.tier, count(*) AS grants, LEAST(sum((b ->> 'points')::bigint), 9223372036854775807)::bigint AS points
              FROM transfers t
            """ + AT_THE_TIME + """
             CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(t.metadata -> 'bonuses') = 'array'
                                                          THEN t.metadata -> 'bonuses' END) b
             WHERE t.kind = 'EARN' AND t.recorded_at >= $1 AND t.recorded_at < $2
             GROUP BY 1, 2, 3, 4, 5""";

    /**
     * The day's changes to lots, per partner that issued the lot and its month of issue: the lots
     * the day's transfers created (ISSUED: only a credit, a positive change to posted points, makes
     * one; a lot from before V15 records its credit as a movement of its own transfer), and the
     * movements they made (only a change to posted points moves lots); every join names the member,
     * as every key of a member's rows does, named by their transfer's kind (REFUND: a
     * reversal that gives spent points back), and by the channel that issued the lot.
     */
    private static final String LOT_DAYS = """
            SELECT day, issuing_partner_id, issuing_channel, cohort_month, flow, GREATEST(LEAST(sum(points), 9223372036854775807), -9223372036854775807 - 1)::bigint AS points FROM (
                SELECT (t.recorded_at AT TIME ZONE $3)::date AS day, t.partner_id AS issuing_partner_id, t.channel AS issuing_channel,
                       date_trunc('month', t.recorded_at AT TIME ZONE $3)::date AS cohort_month, 'ISSUED' AS flow, l.credited AS points
                  FROM transfers t JOIN point_lots l ON l.source_transfer_id = t.transfer_id AND l.member_id = t.member_id
                 WHERE t.recorded_at >= $1 AND t.recorded_at < $2 AND t.posted_delta > 0 AND l.credited IS NOT NULL
                UNION ALL
                SELECT (t.recorded_at AT TIME ZONE $3)::date, source.partner_id, source.channel,
                       date_trunc('month', source.recorded_at AT TIME ZONE $3)::date,
                       CASE WHEN m.transfer_id = l.source_transfer_id THEN 'ISSUED'
                            WHEN t.kind = 'REVERSAL' AND m.points > 0 THEN 'REFUND'
                            ELSE t.kind END,
                       m.points
                  FROM transfers t
                  -- Each of the day's transfers finds its movements by key, however many movements
                  -- there are in all: a hash join would read them all, and the planner picks one.
                  -- OFFSET 0 keeps it from flattening the lateral subquery into that join.
                  CROSS JOIN LATERAL (SELECT transfer_id, lot_id, points FROM lot_movements
                                       WHERE transfer_id = t.transfer_id AND member_id = t.member_id OFFSET 0) m
                  JOIN point_lots l ON l.lot_id = m.lot_id AND l.member_id = t.member_id
                  JOIN transfers source ON source.transfer_id = l.source_transfer_id AND source.member_id = l.member_id
                 WHERE t.recorded_at >= $1 AND t.recorded_at < $2 AND t.posted_delta <> 0
            ) flows GROUP BY 1, 2, 3, 4, 5""";

    /** The day's line items sold per partner, product, channel and tier (gross: a return reverses points, not lines). */
    private static final String ITEM_FILTER_DAYS = """
            SELECT (t.recorded_at AT TIME ZONE $3)::date AS day, t.partner_id, COALESCE(item ->> 'sku', '') AS sku, t.channel,
                   at_time.tier, max(item ->> 'category') AS category, count(*) AS lines,
                   LEAST(COALESCE(sum((item ->> 'quantity')::numeric), 0), 9223372036854775807)::bigint AS quantity,
                   LEAST(COALESCE(sum((item ->> 'quantity')::numeric * (item ->> 'unitPrice')::numeric), 0), 9223372036854775807)::bigint AS amount_minor_units
              FROM transfers t
            """ + AT_THE_TIME + """
             CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(t.metadata -> 'items') = 'array'
                                                          THEN t.metadata -> 'items' END) item
             WHERE t.kind = 'EARN' AND t.recorded_at >= $1 AND t.recorded_at < $2
             GROUP BY 1, 2, 3, 4, 5""";

    /** The same line items per partner and product alone, summed from the rows of {@code ITEM_FILTER_DAYS} named {@code items}. */
    private static final String ITEM_DAYS = """
            SELECT day, partner_id, sku, max(category) AS category, LEAST(sum(lines), 9223372036854775807)::bigint AS lines,
                   LEAST(sum(quantity), 9223372036854775807)::bigint AS quantity,
                   LEAST(sum(amount_minor_units), 9223372036854775807)::bigint AS amount_minor_units
              FROM items GROUP BY 1, 2, 3""";

    /** The day's purchases (earns for an amount) per hour of the day, partner, channel and tier. */
    private static final String HOUR_DAYS = """
            SELECT (t.recorded_at AT TIME ZONE $3)::date AS day, extract(hour FROM t.recorded_at AT TIME ZONE $3)::smallint AS hour,
                   t.partner_id, t.channel, at_time.tier, count(*) AS purchases,
                   LEAST(sum(t.amount_minor_units), 9223372036854775807)::bigint AS amount_minor_units
              FROM transfers t
            """ + AT_THE_TIME + """
             WHERE t.kind = 'EARN' AND t.amount_minor_units > 0 AND t.recorded_at >= $1 AND t.recorded_at < $2
             GROUP BY 1, 2, 3, 4, 5""";

    /** The day's purchases per member. */
    private static final String MEMBER_DAYS = """
            SELECT (t.recorded_at AT TIME ZONE $3)::date AS day, t.member_id, count(*) AS purchases,
                   LEAST(sum(t.amount_minor_units), 9223372036854775807)::bigint AS amount_minor_units
              FROM transfers t
             WHERE t.kind = 'EARN' AND t.amount_minor_units > 0 AND t.recorded_at >= $1 AND t.recorded_at < $2
             GROUP BY 1, 2""";

    /** What the members enrolled in each month bought on the day, per day and month of enrolment. */
    private static final String COHORT_DAYS = """
            SELECT (t.recorded_at AT TIME ZONE $3)::date AS day, date_trunc('month', m.enrolled_at AT TIME ZONE $3)::date AS cohort_month,
                   count(*) AS purchases, LEAST(sum(t.amount_minor_units), 9223372036854775807)::bigint AS amount_minor_units
              FROM transfers t JOIN members m ON m.member_id = t.member_id
             WHERE t.kind = 'EARN' AND t.amount_minor_units > 0 AND t.recorded_at >= $1 AND t.recorded_at < $2
             GROUP BY 1, 2""";

    /**
     * The buyers of the range come back: each one's rows of the month of their purchase and the two
     * before it get this day as the first purchase after their first one, unless they have an
     * earlier one. (Within 31 days of a first day is at most two months later.) Days are rolled up
     * in order; a day rolled up whole after the next day's slices (a purchase committed late) sets
     * its own day where the next day's had been set.
     */
    private static final String MEMBERS_CAME_BACK = """
            UPDATE report_member_months r SET again_day = b.day
              FROM (SELECT member_id, min(day) AS day FROM (""" + MEMBER_DAYS + """
                    ) bought GROUP BY member_id) b
             WHERE r.member_id = b.member_id AND r.month >= (date_trunc('month', b.day) - interval '2 months')::date
               AND r.month <= b.day AND r.first_day < b.day AND (r.again_day IS NULL OR r.again_day > b.day)""";

    /**
     * The buyers of the range, in the month of their purchase: a new row's first day is the day;
     * a row whose first day comes later (a purchase committed after its day's slice was rolled up,
     * found by the day's rollup as a whole) gets this day first and its old first day as the next.
     */
    private static final String MEMBERS_BOUGHT = """
            INSERT INTO report_member_months (month, member_id, first_day, again_day)
            SELECT month, member_id, first_day,
                   -- A purchase of the next months already rolled up (a day rolled up whole after them).
                   (SELECT min(later.first_day) FROM report_member_months later
                     WHERE later.member_id = bought.member_id AND later.month > bought.month
                       AND later.month <= (bought.month + interval '2 months')::date)
              FROM (SELECT date_trunc('month', day)::date AS month, member_id, min(day) AS first_day FROM (""" + MEMBER_DAYS + """
                   ) purchases GROUP BY 1, 2) bought
            ON CONFLICT (month, member_id) DO UPDATE SET first_day = excluded.first_day, again_day = report_member_months.first_day
             WHERE excluded.first_day < report_member_months.first_day""";

    /**
     * The rollups' format. A day rolled up in an older one (by code still running during a rolling
     * deploy) lacks rows of this one: it counts as not rolled up, and its claim takes it over.
     */
    static final int ROLLUP_VERSION = 3;

    private static final String ROLLUP_VERSION_TEXT = Integer.toString(ROLLUP_VERSION);

    private static final String CLAIM_DAY = "INSERT INTO report_rollup_days (day, version) VALUES ($1, " + ROLLUP_VERSION + ") "
            + "ON CONFLICT (day) DO UPDATE SET version = excluded.version, rolled_up_at = now() "
            + "WHERE report_rollup_days.version < excluded.version RETURNING day";

    /**
     * Rollups one at a time across instances: a slice of a day and the day's rollup as a whole
     * never write the day's rows together, and each reads what the one before it committed.
     */
    private static final String LOCK_ROLLUPS = "SELECT pg_advisory_xact_lock(hashtext('points-ledger.report-rollups'))";

    /** Whether the day is rolled up as a whole, and how far its slices reach (null: none yet). */
    private static final String SLICE_STATE = """
            SELECT EXISTS (SELECT 1 FROM report_rollup_days WHERE day = $1 AND version = """ + ROLLUP_VERSION + """
            ) AS rolled_up,
                   (SELECT through FROM report_rollup_slices WHERE day = $1) AS through,
                   (SELECT COALESCE(sum(transfers), 0) FROM report_transfer_days WHERE day = $1) AS transfers""";

    /** The transfers recorded in [{@code $1}, {@code $2}): as many as a day's slices counted means none came after them. */
    private static final String RECORDED = "SELECT count(*) FROM transfers WHERE recorded_at >= $1 AND recorded_at < $2";

    private static final String FORGET_SLICE_MARK = "DELETE FROM report_rollup_slices WHERE day = $1";

    private static final String MARK_SLICE = """
            INSERT INTO report_rollup_slices (day, through) VALUES ($1, $2)
            ON CONFLICT (day) DO UPDATE SET through = excluded.through, rolled_up_at = now()""";

    /** The tables of the day rollups, whose rows of one day a slice adds to and the day's rollup replaces. */
    private static final List<String> DAY_TABLES = List.of("report_transfer_days", "report_bonus_days", "report_lot_days",
            "report_item_days", "report_item_filter_days", "report_hour_days", "report_member_days", "report_cohort_days");

    private static final String ROLL_UP_TRANSFERS = "INSERT INTO report_transfer_days "
            + "(day, partner_id, channel, kind, tier, transfers, points, posted_delta, held_delta, bonus_points, amount_minor_units) "
            + TRANSFER_DAYS;

    private static final String ROLL_UP_BONUSES = "INSERT INTO report_bonus_days (day, partner_id, channel, campaign_id, tier, grants, "
            + "points) " + BONUS_DAYS;

    private static final String ROLL_UP_LOTS = "INSERT INTO report_lot_days (day, issuing_partner_id, issuing_channel, cohort_month, "
            + "flow, points) " + LOT_DAYS;

    private static final String NOW = "SELECT now()";

    /** Line items per channel and tier, and summed per product alone, from one read of the transfers. */
    private static final String ROLL_UP_ITEMS = "WITH items AS MATERIALIZED (" + ITEM_FILTER_DAYS + "), per_product AS ("
            + "INSERT INTO report_item_days (day, partner_id, sku, category, lines, quantity, amount_minor_units) " + ITEM_DAYS + ") "
            + "INSERT INTO report_item_filter_days (day, partner_id, sku, channel, tier, category, lines, quantity, amount_minor_units) "
            + "SELECT day, partner_id, sku, channel, tier, category, lines, quantity, amount_minor_units FROM items";

    private static final String ROLL_UP_HOURS = "INSERT INTO report_hour_days (day, hour, partner_id, channel, tier, purchases, "
            + "amount_minor_units) " + HOUR_DAYS;

    private static final String ROLL_UP_MEMBERS = "INSERT INTO report_member_days (day, member_id, purchases, amount_minor_units) "
            + MEMBER_DAYS;

    private static final String ROLL_UP_COHORTS = "INSERT INTO report_cohort_days (day, cohort_month, purchases, amount_minor_units) "
            + COHORT_DAYS;

    private static final String SLICE_COHORTS = addedToTheDay("report_cohort_days", "day, cohort_month", List.of("purchases",
            "amount_minor_units"), "", COHORT_DAYS);

    private static final String SLICE_TRANSFERS = addedToTheDay("report_transfer_days", "day, partner_id, channel, kind, tier",
            List.of("transfers", "points", "posted_delta", "held_delta", "bonus_points", "amount_minor_units"), "", TRANSFER_DAYS);

    private static final String SLICE_BONUSES = addedToTheDay("report_bonus_days", "day, partner_id, channel, campaign_id, tier",
            List.of("grants", "points"), "", BONUS_DAYS);

    private static final String SLICE_LOTS = addedToTheDay("report_lot_days", "day, issuing_partner_id, issuing_channel, cohort_month, flow",
            List.of("points"), "", LOT_DAYS);

    // A product's category is the greatest named, as max(category) gives it for a whole day.
    private static final String SLICE_ITEMS = "WITH items AS MATERIALIZED (" + ITEM_FILTER_DAYS + "), per_product AS ("
            + addedToTheDay("report_item_days", "day, partner_id, sku", List.of("lines", "quantity", "amount_minor_units"),
                    ", category = GREATEST(report_item_days.category, excluded.category)", ITEM_DAYS) + ") "
            + addedToTheDay("report_item_filter_days", "day, partner_id, sku, channel, tier", List.of("lines", "quantity",
                    "amount_minor_units"), ", category = GREATEST(report_item_filter_days.category, excluded.category)",
                    "SELECT * FROM items");

    private static final String SLICE_HOURS = addedToTheDay("report_hour_days", "day, hour, partner_id, channel, tier",
            List.of("purchases", "amount_minor_units"), "", HOUR_DAYS);

    private static final String SLICE_MEMBERS = addedToTheDay("report_member_days", "day, member_id", List.of("purchases",
            "amount_minor_units"), "", MEMBER_DAYS);

    /**
     * The rows {@code aggregation} gives for a slice, added to the day's rows of {@code table} that
     * have their key: each sum held at bigint's ends, as a day's own sums are. A slice lies within
     * one day, so it gives each key once, as ON CONFLICT DO UPDATE requires.
     */
    private static String addedToTheDay(String table, String key, List<String> sums, String alsoSet, String aggregation) {
        String columns = key + ", " + (table.startsWith("report_item_") ? "category, " : "") + String.join(", ", sums);
        String added = sums.stream().map(sum -> sum + " = GREATEST(LEAST(" + table + "." + sum + "::numeric + excluded." + sum
                + ", 9223372036854775807), -9223372036854775808)::bigint").collect(java.util.stream.Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM (" + aggregation + ") slice ON CONFLICT (" + key
                + ") DO UPDATE SET " + added + alsoSet;
    }

    /**
     * The first day rolled up, and the last of the unbroken run of rolled-up days that starts there:
     * the days a report reads from rollups. Rollups go day by day in order, so the run is every day
     * rolled up; a day rolled up past a gap is read from the transfers, as if it were not.
     */
    private static final String ROLLED_RUN = """
            SELECT min(day) AS first,
                   (SELECT min(d.day) FROM report_rollup_days d WHERE d.version = $1
                       AND NOT EXISTS (SELECT 1 FROM report_rollup_days next WHERE next.day = d.day + 1 AND next.version = $1)) AS last,
                   (SELECT min(day) FROM report_rollup_slices) AS first_sliced,
                   (SELECT max(through) FROM report_rollup_slices) AS sliced_through
              FROM report_rollup_days WHERE version = $1""";

    /**
     * When the first transfer was recorded, found through the (partner_id, recorded_at) index: one
     * step per partner (each the next partner id after the last), then each partner's first
     * transfer; never a scan of the transfers.
     */
    private static final String FIRST_RECORDED = """
            WITH RECURSIVE partner_ids (partner_id) AS (
                (SELECT partner_id FROM transfers ORDER BY partner_id LIMIT 1)
                UNION ALL
                SELECT (SELECT t.partner_id FROM transfers t WHERE t.partner_id > p.partner_id ORDER BY t.partner_id LIMIT 1)
                  FROM partner_ids p WHERE p.partner_id IS NOT NULL
            )
            SELECT min((SELECT t.recorded_at FROM transfers t WHERE t.partner_id = p.partner_id ORDER BY t.recorded_at LIMIT 1))
              FROM partner_ids p WHERE p.partner_id IS NOT NULL""";

    private static final String ROLLED_TRANSFER_DAYS = """
            SELECT day, partner_id, channel, kind, tier, transfers, points, posted_delta, held_delta, bonus_points, amount_minor_units
              FROM report_transfer_days WHERE day >= $1 AND day < $2""";

    private static final String ROLLED_BONUS_DAYS = """
            SELECT day, partner_id, channel, campaign_id, tier, grants, points FROM report_bonus_days WHERE day >= $1 AND day < $2""";

    /**
     * Lot flows of every rolled-up day, summed per partner, cohort and flow: what a day's rows add
     * up to over time; of the lots issued through channel {@code $3} when given.
     */
    private static final String ROLLED_LOT_FLOWS = """
            SELECT issuing_partner_id, cohort_month, flow, GREATEST(LEAST(sum(points), 9223372036854775807), -9223372036854775807 - 1)::bigint AS points FROM report_lot_days
             WHERE day >= $1 AND day <= $2 AND ($3::text IS NULL OR issuing_channel = $3) GROUP BY 1, 2, 3""";

    /** Where a statement may be narrowed to a segment's members, and the column naming the member there. */
    private static final Pattern SEGMENT_CONDITION = Pattern.compile("\\{segment:([a-z_.]+)}");

    /**
     * Whether the snapshot of a segment's members a report reads is still there (see inSnapshot),
     * and the months summed for it from rollups of this format.
     */
    private static final String SEGMENT_SNAPSHOT_KEPT = "SELECT CASE WHEN months_summed_version = " + ROLLUP_VERSION_TEXT
            + " THEN months_summed_from END AS months_summed_from, CASE WHEN months_summed_version = " + ROLLUP_VERSION_TEXT
            + " THEN months_summed_before END AS months_summed_before FROM segment_member_snapshots WHERE snapshot_id = $1";

    /** Outstanding and held points per tier: the accounts as they stand. */
    private static final String ACCOUNTS_BY_TIER = """
            SELECT tier, count(*) AS members, count(*) FILTER (WHERE posted > 0) AS members_with_points,
                   COALESCE(sum(GREATEST(posted, 0)), 0) AS outstanding, COALESCE(sum(held), 0) AS held,
                   COALESCE(sum(LEAST(posted, 0)), 0) AS owed
              FROM member_accounts WHERE ($1::text IS NULL OR tier = $1) {segment:member_id} GROUP BY tier""";

    /** Points left in lots that expire before each of the three horizons. */
    private static final String EXPIRING = """
            SELECT COALESCE(sum(l.remaining) FILTER (WHERE l.expires_at < $1), 0) AS first,
                   COALESCE(sum(l.remaining) FILTER (WHERE l.expires_at < $2), 0) AS second,
                   COALESCE(sum(l.remaining), 0) AS third
              FROM point_lots l
             WHERE l.remaining > 0 AND l.expires_at < $3
               AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM member_accounts a WHERE a.member_id = l.member_id AND a.tier = $4))
               {segment:l.member_id}""";

    /** The rolled-up rows of {@code table} of the days [{@code $1}, {@code $2}); what follows is the caller's, from {@code $3}. */
    private static String rolled(String table, String columns) {
        return "SELECT " + columns + " FROM " + table + " WHERE day >= $1 AND day < $2";
    }

    /** Products ({@code $4}: sku, or category when true) by amount sold, at partner {@code $3} when given, {@code $5} at most, only the keys {@code $6} when given. */
    private static final String ITEM_SALES = itemSales("report_item_days", "");

    /** The same through channel {@code $7} and by members of tier {@code $8}, each when given. */
    private static final String FILTERED_ITEM_SALES = itemSales("report_item_filter_days",
            " AND ($7::text IS NULL OR channel = $7) AND ($8::text IS NULL OR tier = $8)");

    private static String itemSales(String table, String filters) {
        return "SELECT CASE WHEN $4 THEN COALESCE(category, '') ELSE sku END AS key, max(category) AS category, "
                + "sum(lines) AS count, LEAST(sum(quantity), 9223372036854775807)::bigint AS quantity, "
                + "LEAST(sum(amount_minor_units), 9223372036854775807)::bigint AS amount FROM ("
                + rolled(table, "partner_id, sku, category, lines, quantity, amount_minor_units" + (filters.isEmpty() ? "" : ", channel, tier"))
                + ") sold WHERE ($3::text IS NULL OR partner_id = $3) AND ($6::text[] IS NULL OR (CASE WHEN $4 THEN COALESCE(category, '') ELSE sku END) = ANY($6))"
                + filters + " GROUP BY 1 ORDER BY amount DESC, key LIMIT $5";
    }

    /** Purchases per day and hour of the day, at partner {@code $3}, through channel {@code $4}, by members of tier {@code $5}, each when given. */
    private static final String HOUR_SALES = "SELECT day, hour, sum(purchases) AS purchases, "
            + "LEAST(sum(amount_minor_units), 9223372036854775807)::bigint AS amount FROM ("
            + rolled("report_hour_days", "day, hour, partner_id, channel, tier, purchases, amount_minor_units")
            + ") sold WHERE ($3::text IS NULL OR partner_id = $3) AND ($4::text IS NULL OR channel = $4) AND ($5::text IS NULL OR tier = $5)"
            + " GROUP BY 1, 2";

    /** Members by amount bought, {@code $3} at most, only the members {@code $4} when given. */
    private static final String MEMBER_SALES = "SELECT member_id, sum(purchases) AS count, "
            + "LEAST(sum(amount_minor_units), 9223372036854775807)::bigint AS amount FROM ("
            + rolled("report_member_days", "member_id, purchases, amount_minor_units")
            + ") sold WHERE ($4::uuid[] IS NULL OR member_id = ANY($4)) {segment:member_id} GROUP BY member_id ORDER BY amount DESC, member_id LIMIT $3";

    /** Purchases and their amount of the members of a segment on the days [{@code $1}, {@code $2}). */
    private static final String SEGMENT_SALES = "SELECT COALESCE(sum(purchases), 0) AS purchases, "
            + "LEAST(COALESCE(sum(amount_minor_units), 0), 9223372036854775807)::bigint AS amount FROM ("
            + rolled("report_member_days", "member_id, purchases, amount_minor_units") + ") sold WHERE true {segment:member_id}";

    /** Members enrolled per month of [{@code $1}, {@code $2}) in time zone {@code $3} and channel. */
    private static final String ENROLMENTS = """
            SELECT date_trunc('month', enrolled_at AT TIME ZONE $3)::date AS month, enrollment_channel AS channel, count(*) AS members
              FROM members WHERE enrolled_at >= $1 AND enrolled_at < $2 {segment:member_id} GROUP BY 1, 2""";

    /**
     * Per month [{@code $1}, {@code $2}): the members who bought; those whose {@code $3} days after
     * their first purchase of the month are over by day {@code $4} (the first the rollups do not
     * hold whole), and of those, the ones who bought again within them.
     */
    private static final String ACTIVE_MONTHS = """
            SELECT month, count(*) AS active, count(*) FILTER (WHERE first_day + $3::integer < $4) AS settled,
                   count(*) FILTER (WHERE first_day + $3::integer < $4 AND again_day <= first_day + $3::integer) AS came_back
              FROM report_member_months WHERE month >= $1 AND month < $2 {segment:member_id} GROUP BY month""";

    /** {@link #ACTIVE_MONTHS} from the buyers of the months summed for the snapshot {@code $5} (see SegmentMonthSums). */
    private static final String SUMMED_ACTIVE_MONTHS = """
            SELECT month, sum(members)::bigint AS active, COALESCE(sum(members) FILTER (WHERE first_day + $3::integer < $4), 0)::bigint AS settled,
                   COALESCE(sum(members) FILTER (WHERE first_day + $3::integer < $4 AND repurchase_gap <= $3::integer), 0)::bigint AS came_back
              FROM segment_snapshot_member_months WHERE snapshot_id = $5 AND month >= $1 AND month < $2 GROUP BY month""";

    /** The days to the next purchase of a buyer who bought again later than any repurchase window a report measures, or never. */
    private static final int NOT_BACK_WITHIN_ANY_WINDOW = ReportsConfig.REPURCHASE_DAYS_MAX + 1;

    /**
     * The buyers of the months [{@code $1}, {@code $2}) among the members of the snapshot
     * {@code $3}, per month, first-purchase day and days to the next purchase (up to
     * NOT_BACK_WITHIN_ANY_WINDOW).
     */
    private static final String SUM_MONTHS = """
            INSERT INTO segment_snapshot_member_months (snapshot_id, month, first_day, repurchase_gap, members)
            SELECT $3, month, first_day, COALESCE(LEAST(again_day - first_day, %1$d), %1$d), count(*)
              FROM report_member_months WHERE month >= $1 AND month < $2 {segment:member_id} GROUP BY 2, 3, 4""".formatted(
            NOT_BACK_WITHIN_ANY_WINDOW);

    /** The snapshot {@code $1}, locked while its months are summed (a delete waits), and whether they are. */
    private static final String SNAPSHOT_TO_SUM = "SELECT months_summed_from IS NOT NULL AS summed FROM segment_member_snapshots"
            + " WHERE snapshot_id = $1 FOR NO KEY UPDATE";

    private static final String MONTHS_SUMMED = "UPDATE segment_member_snapshots SET months_summed_from = $2, months_summed_before = $3,"
            + " months_summed_version = " + ROLLUP_VERSION_TEXT + " WHERE snapshot_id = $1";

    private static final String TIER_MOVES = """
            SELECT date_trunc('month', changed_at AT TIME ZONE $3)::date AS month, from_tier, to_tier, count(*) AS members
              FROM tier_changes WHERE changed_at >= $1 AND changed_at < $2 {segment:member_id} GROUP BY 1, 2, 3""";

    /** What the members enrolled in each month [{@code $1}, {@code $2}) have bought, ever. */
    private static final String COHORT_PURCHASES = """
            SELECT cohort_month, sum(purchases) AS purchases, LEAST(sum(amount_minor_units), 9223372036854775807)::bigint AS amount
              FROM report_cohort_days WHERE cohort_month >= $1 AND cohort_month < $2 GROUP BY 1""";

    /** Per month: coupons issued, and of them redeemed; rewards claimed, and of them fulfilled and cancelled. */
    private static final String BENEFITS = """
            SELECT month, sum(coupons_issued) AS coupons_issued, sum(coupons_redeemed) AS coupons_redeemed, sum(claims) AS claims,
                   sum(fulfilled) AS fulfilled, sum(cancelled) AS cancelled FROM (
                SELECT date_trunc('month', issued_at AT TIME ZONE $3)::date AS month, count(*) AS coupons_issued,
                       count(*) FILTER (WHERE status = 'REDEEMED') AS coupons_redeemed, 0 AS claims, 0 AS fulfilled, 0 AS cancelled
                  FROM coupons WHERE issued_at >= $1 AND issued_at < $2 {segment:member_id} GROUP BY 1
                UNION ALL
                SELECT date_trunc('month', claimed_at AT TIME ZONE $3)::date, 0, 0, count(*), count(*) FILTER (WHERE status = 'FULFILLED'),
                       count(*) FILTER (WHERE status = 'CANCELLED')
                  FROM reward_claims WHERE claimed_at >= $1 AND claimed_at < $2 {segment:member_id} GROUP BY 1
            ) benefits GROUP BY month""";

    private static final String CAMPAIGN_NAMES = "SELECT campaign_id, definition ->> 'name' AS name FROM campaigns WHERE campaign_id = ANY($1)";

    private final Pool pool;
    private final int workMemoryMegabytes;
    private final int unseenMembersMax;

    ReportRepository(Pool pool, ReportsConfig config) {
        this.pool = pool;
        this.workMemoryMegabytes = config.workMemoryMegabytes();
        this.unseenMembersMax = config.segmentUnseenMembersMax();
    }

    Pool pool() {
        return pool;
    }

    /** One partner's transfers of one kind through one channel by members of one tier (at the time) on one day. */
    record TransferDay(LocalDate day, String partnerId, String channel, String kind, String tier, long transfers, long points, long postedDelta,
            long heldDelta, long bonusPoints, long amountMinorUnits) {
    }

    /** One campaign's bonuses on one day, at one partner, through one channel, to members of one tier (at the time). */
    record BonusDay(LocalDate day, String partnerId, String channel, UUID campaignId, String tier, long grants, long points) {
    }

    /** Points of one flow of the lots one partner issued in one month. */
    record LotFlow(String issuingPartnerId, LocalDate cohortMonth, String flow, long points) {
    }

    /** Outstanding points of one tier. */
    record TierAccounts(String tier, long members, long membersWithPoints, long outstanding, long held, long owed) {
    }

    /** Points left in lots expiring before three horizons. */
    record Expiring(long first, long second, long third) {
    }

    /**
     * {@code work} in one read-only REPEATABLE READ transaction: every statement sees the same
     * snapshot, so figures read apart add up (the lots left and the balances owed).
     */
    <T> Uni<T> inSnapshot(Function<SqlClient, Uni<T>> work) {
        return inSnapshot(null, (client, none) -> work.apply(client));
    }

    /**
     * {@code work} in one snapshot, as above, narrowed to the members of {@code segment} when
     * given ({@code work} gets them, or null). Fails with SegmentSnapshotOutOfDate when the
     * snapshot's rows are no longer there (a newer snapshot replaced it before this transaction
     * began), or when more members than unseenMembersMax were enrolled since it was counted. Each
     * narrowed statement may use {@code workMemory} per sort or hash (a hash of hundreds of
     * thousands of members' ids spills to disk within PostgreSQL's default 4 MB), and is planned
     * for the snapshot it reads, not with a generic plan that knows nothing of its size.
     */
    <T> Uni<T> inSnapshot(SegmentSnapshot segment, BiFunction<SqlClient, Narrowing, Uni<T>> work) {
        return pool.withTransaction(transaction -> transaction.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .chain(() -> segment == null ? Uni.createFrom().<Narrowing>nullItem() : narrowing(transaction, segment))
                .flatMap(narrowing -> work.apply(transaction, narrowing)));
    }

    private Uni<Narrowing> narrowing(SqlClient transaction, SegmentSnapshot segment) {
        return transaction.query("SET LOCAL work_mem = '" + workMemoryMegabytes + "MB'").execute()
                .chain(() -> transaction.query("SET LOCAL plan_cache_mode = force_custom_plan").execute())
                .chain(() -> transaction.preparedQuery(SEGMENT_SNAPSHOT_KEPT).execute(Tuple.of(segment.snapshotId())))
                .flatMap(kept -> {
                    if (kept.size() == 0) {
                        throw new SegmentSnapshotOutOfDate(segment);
                    }
                    Row snapshot = kept.iterator().next();
                    LocalDate summedFrom = snapshot.getLocalDate("months_summed_from");
                    LocalDate summedBefore = snapshot.getLocalDate("months_summed_before");
                    if (!segment.complement()) {
                        return Uni.createFrom().item(new Narrowing(segment, new UUID[0], summedFrom, summedBefore));
                    }
                    return transaction.preparedQuery(SegmentSnapshot.unseenMembersQuery())
                            .execute(Tuple.of(segment.snapshotId(), segment.enrolledBefore(), unseenMembersMax + 1)).map(rows -> {
                                if (rows.size() > unseenMembersMax) {
                                    throw new SegmentSnapshotOutOfDate(segment);
                                }
                                List<UUID> unseen = new ArrayList<>(rows.size());
                                rows.forEach(row -> unseen.add(row.getUUID(0)));
                                return new Narrowing(segment, unseen.toArray(UUID[]::new), summedFrom, summedBefore);
                            });
                });
    }

    /** The snapshot of a segment's members a report was to read is out of date: the report starts again on a newer one. */
    static final class SegmentSnapshotOutOfDate extends RuntimeException {

        private final transient SegmentSnapshot snapshot;

        SegmentSnapshotOutOfDate(SegmentSnapshot snapshot) {
            super("The snapshot of the segment's members was replaced, or many members enrolled since", null, false, false);
            this.snapshot = snapshot;
        }

        SegmentSnapshot snapshot() {
            return snapshot;
        }
    }

    /** The database's clock, by which days and slices end for the rollups (transfers carry the writing instance's). */
    Uni<OffsetDateTime> now() {
        return now(pool);
    }

    Uni<OffsetDateTime> now(SqlClient client) {
        return client.query(NOW).execute().map(rows -> rows.iterator().next().getOffsetDateTime(0));
    }

    /**
     * What the rollups hold: every transfer recorded from the start of day {@code first} until
     * {@code through}. {@code last} is the last day of the unbroken run of days rolled up as a whole
     * from {@code first} (null when only slices of days after them are); the slices of the days
     * after it reach {@code through}.
     */
    record RolledRun(LocalDate first, LocalDate last, OffsetDateTime through) {
    }

    /**
     * The rolled-up run, its days starting in {@code timeZone}. Slices count only where they go on
     * from the run's last day, as the rollups add them; a day rolled up past a gap is read from
     * the transfers, as if it were not.
     */
    Uni<Optional<RolledRun>> rolledRun(SqlClient client, ZoneId timeZone) {
        return client.preparedQuery(ROLLED_RUN).execute(Tuple.of(ROLLUP_VERSION)).map(rows -> {
            Row row = rows.iterator().next();
            LocalDate first = row.getLocalDate("first");
            LocalDate last = row.getLocalDate("last");
            LocalDate firstSliced = row.getLocalDate("first_sliced");
            OffsetDateTime slicedThrough = row.getOffsetDateTime("sliced_through");
            if (first == null) {
                return firstSliced == null ? Optional.empty() : Optional.of(new RolledRun(firstSliced, null, slicedThrough));
            }
            boolean slicesGoOn = firstSliced != null && firstSliced.equals(last.plusDays(1));
            return Optional.of(new RolledRun(first, last, slicesGoOn ? slicedThrough
                    : last.plusDays(1).atStartOfDay(timeZone).toOffsetDateTime()));
        });
    }

    Uni<Optional<OffsetDateTime>> firstRecorded() {
        return pool.query(FIRST_RECORDED).execute().map(rows -> Optional.ofNullable(rows.iterator().next().getOffsetDateTime(0)));
    }

    /**
     * Rolls up {@code day} ([{@code from}, {@code to}) in {@code timeZone}) unless it is already;
     * whether this did. When its slices cover the whole day and counted every transfer recorded in
     * it, they are its rows as they stand; otherwise the day is computed from its transfers, its
     * statements taking up to {@code timeout} each, past the pool's statement timeout: a peak day is
     * millions of transfers, read once.
     */
    Uni<DayRollup> rollUp(LocalDate day, OffsetDateTime from, OffsetDateTime to, String timeZone, Duration timeout) {
        Tuple range = Tuple.of(from, to, timeZone);
        return pool.withTransaction(transaction -> locked(transaction, timeout)
                .chain(() -> sliceState(transaction, day))
                .flatMap(sliced -> transaction.preparedQuery(CLAIM_DAY).execute(Tuple.of(day)).flatMap(claimed -> {
                    if (claimed.size() == 0) {
                        return Uni.createFrom().item(DayRollup.NOT_DONE);
                    }
                    boolean slicedWhole = sliced.through() != null && !sliced.through().isBefore(to);
                    Uni<Long> recorded = slicedWhole ? transaction.preparedQuery(RECORDED).execute(Tuple.of(from, to))
                            .map(rows -> rows.iterator().next().getLong(0)) : Uni.createFrom().item(-1L);
                    return recorded.flatMap(transfers -> {
                        if (transfers == sliced.transfers()) {
                            // Transfers are only ever added: as many as the slices counted are the ones they counted.
                            return transaction.preparedQuery(FORGET_SLICE_MARK).execute(Tuple.of(day)).replaceWith(new DayRollup(true, 0));
                        }
                        return rolledUpWhole(transaction, day, range).map(whole -> new DayRollup(true,
                                slicedWhole ? whole.transfers() - sliced.transfers() : 0));
                    });
                })));
    }

    /** Replaces the day's rows (its slices so far, if any) by the whole day computed from its transfers. */
    private static Uni<SliceState> rolledUpWhole(SqlClient transaction, LocalDate day, Tuple range) {
        return forgetSlices(transaction, day)
                .chain(() -> insert(transaction, ROLL_UP_TRANSFERS, range)).chain(() -> insert(transaction, ROLL_UP_BONUSES, range))
                .chain(() -> insert(transaction, ROLL_UP_LOTS, range)).chain(() -> insert(transaction, ROLL_UP_ITEMS, range))
                .chain(() -> insert(transaction, ROLL_UP_HOURS, range)).chain(() -> insert(transaction, ROLL_UP_MEMBERS, range))
                .chain(() -> insert(transaction, ROLL_UP_COHORTS, range)).chain(() -> membersOf(transaction, range))
                .chain(() -> sliceState(transaction, day));
    }

    /**
     * A day's rollup: whether this did it, and how many of its transfers its slices, which
     * covered the whole day, had not counted: transfers committed after the slice of their
     * recording time was rolled up (today's reports missed them until now).
     */
    record DayRollup(boolean done, long missedBySlices) {
        static final DayRollup NOT_DONE = new DayRollup(false, 0);
    }

    /** Whether a day is rolled up as a whole, how far its slices reach, and the transfers its rows count. */
    record SliceState(boolean rolledUp, OffsetDateTime through, long transfers) {
    }

    private static Uni<SliceState> sliceState(SqlClient transaction, LocalDate day) {
        return transaction.preparedQuery(SLICE_STATE).execute(Tuple.of(day)).map(rows -> {
            Row row = rows.iterator().next();
            return new SliceState(row.getBoolean("rolled_up"), row.getOffsetDateTime("through"), row.getLong("transfers"));
        });
    }

    private static Uni<Void> locked(SqlClient transaction, Duration timeout) {
        return transaction.query("SET LOCAL statement_timeout = " + timeout.toMillis()).execute()
                .chain(() -> transaction.query(LOCK_ROLLUPS).execute()).replaceWithVoid();
    }

    private static Uni<Void> forgetSlices(SqlClient transaction, LocalDate day) {
        Uni<Void> deleted = transaction.preparedQuery(FORGET_SLICE_MARK).execute(Tuple.of(day)).replaceWithVoid();
        for (String table : DAY_TABLES) {
            deleted = deleted.chain(() -> transaction.preparedQuery("DELETE FROM " + table + " WHERE day = $1").execute(Tuple.of(day)))
                    .replaceWithVoid();
        }
        return deleted;
    }

    /**
     * Adds the transfers recorded in [{@code from}, {@code to}), all of {@code day}, to the day's
     * rows, if the day's slices reach {@code from} (or none has been rolled up and {@code from} is
     * where the first one starts) and the day is not rolled up as a whole; whether this did.
     */
    Uni<Boolean> rollUpSlice(LocalDate day, OffsetDateTime from, OffsetDateTime to, boolean first, String timeZone, Duration timeout) {
        Tuple range = Tuple.of(from, to, timeZone);
        return pool.withTransaction(transaction -> locked(transaction, timeout).chain(() -> sliceState(transaction, day)).flatMap(state -> {
            boolean goesOn = state.through() == null ? first : state.through().isEqual(from);
            if (state.rolledUp() || !goesOn) {
                return Uni.createFrom().item(false);
            }
            return insert(transaction, SLICE_TRANSFERS, range).chain(() -> insert(transaction, SLICE_BONUSES, range))
                    .chain(() -> insert(transaction, SLICE_LOTS, range)).chain(() -> insert(transaction, SLICE_ITEMS, range))
                    .chain(() -> insert(transaction, SLICE_HOURS, range)).chain(() -> insert(transaction, SLICE_MEMBERS, range))
                    .chain(() -> insert(transaction, SLICE_COHORTS, range)).chain(() -> membersOf(transaction, range))
                    .chain(() -> transaction.preparedQuery(MARK_SLICE).execute(Tuple.of(day, to))).replaceWith(true);
        }));
    }

    /** The range's buyers in the months they bought in: idempotent, so a day's rollup as a whole repeats its slices'. */
    private static Uni<RowSet<Row>> membersOf(SqlClient transaction, Tuple range) {
        return insert(transaction, MEMBERS_CAME_BACK, range).chain(() -> insert(transaction, MEMBERS_BOUGHT, range));
    }

    private static Uni<RowSet<Row>> insert(SqlClient transaction, String statement, Tuple range) {
        return transaction.preparedQuery(statement).execute(range);
    }

    Uni<List<TransferDay>> rolledTransferDays(LocalDate from, LocalDate to) {
        return rolledTransferDays(pool, from, to);
    }

    private static Uni<List<TransferDay>> rolledTransferDays(SqlClient client, LocalDate from, LocalDate to) {
        return list(client, ROLLED_TRANSFER_DAYS, Tuple.of(from, to), ReportRepository::transferDay);
    }

    /** What a rollup of the transfers recorded in [from, to) gives, read from them: for tests, which set rollups against it. */
    Uni<List<TransferDay>> liveTransferDays(OffsetDateTime from, OffsetDateTime to, String timeZone) {
        return list(pool, TRANSFER_DAYS, Tuple.of(from, to, timeZone), ReportRepository::transferDay);
    }

    /** The lot flows of the days [{@code first}, {@code last}] in the rollups, summed per partner, cohort and flow; of lots issued through {@code channel} when given. */
    Uni<List<LotFlow>> rolledLotFlows(SqlClient client, LocalDate first, LocalDate last, String channel) {
        return list(client, ROLLED_LOT_FLOWS, Tuple.of(first, last, channel), ReportRepository::lotFlow);
    }

    /** The lot flows of the transfers recorded in [from, to), read from them: for tests, which set rollups against it. */
    Uni<List<LotFlow>> liveLotFlows(SqlClient client, OffsetDateTime from, OffsetDateTime to, String timeZone) {
        return list(client, LOT_DAYS, Tuple.of(from, to, timeZone), ReportRepository::lotFlow);
    }

    Uni<List<TierAccounts>> accountsByTier(SqlClient client, String tier, Narrowing segment) {
        return list(client, ACCOUNTS_BY_TIER, Tuple.tuple(Arrays.asList(tier)), segment, row -> new TierAccounts(row.getString("tier"), row.getLong("members"),
                row.getLong("members_with_points"), row.getLong("outstanding"), row.getLong("held"), row.getLong("owed")));
    }

    Uni<Expiring> expiring(SqlClient client, OffsetDateTime first, OffsetDateTime second, OffsetDateTime third, String tier,
            Narrowing segment) {
        return list(client, EXPIRING, Tuple.tuple(Arrays.asList(first, second, third, tier)), segment,
                row -> new Expiring(row.getLong("first"), row.getLong("second"), row.getLong("third"))).map(rows -> rows.get(0));
    }

    /** The rolled-up days [from, to) a report over days reads. */
    record DaySource(LocalDate from, LocalDate to) {

        Tuple arguments() {
            return Tuple.of(from, to);
        }
    }

    /** The transfer rows of the days of {@code days}. */
    Uni<List<TransferDay>> transferDays(SqlClient client, DaySource days) {
        return rolledTransferDays(client, days.from(), days.to());
    }

    /** The bonus rows of the days of {@code days}. */
    Uni<List<BonusDay>> bonusDays(SqlClient client, DaySource days) {
        return list(client, ROLLED_BONUS_DAYS, days.arguments(), ReportRepository::bonusDay);
    }

    /** Sales of one product, category or member: lines (or purchases), quantity, amount. */
    record Sold(String key, String category, long count, Long quantity, long amount) {
    }

    /** Products or categories sold as {@code filter} narrows them: by channel or tier from the rows kept per channel and tier. */
    Uni<List<Sold>> itemSales(SqlClient client, DaySource days, SalesFilter filter, boolean byCategory, int limit, String[] onlyKeys) {
        Tuple arguments = days.arguments().addValue(filter.partnerId()).addValue(byCategory).addValue(limit).addValue(onlyKeys);
        if (filter.byChannelOrTier()) {
            arguments.addValue(filter.channel()).addValue(filter.tier());
        }
        return list(client, filter.byChannelOrTier() ? FILTERED_ITEM_SALES : ITEM_SALES, arguments, row -> new Sold(row.getString("key"), row.getString("category"), row.getLong("count"),
                row.getLong("quantity"), row.getLong("amount")));
    }

    Uni<List<Sold>> memberSales(SqlClient client, DaySource days, int limit, UUID[] onlyMembers, Narrowing segment) {
        Tuple arguments = days.arguments().addValue(limit).addValue(onlyMembers);
        return list(client, MEMBER_SALES, arguments, segment, row -> new Sold(row.getUUID("member_id").toString(), null,
                row.getLong("count"), null, row.getLong("amount")));
    }

    /** Purchases and their amount, over the days of {@code days}, of the members of {@code segment}. */
    Uni<Sold> segmentSales(SqlClient client, DaySource days, Narrowing segment) {
        return list(client, SEGMENT_SALES, days.arguments(), segment, row -> new Sold("total", null, row.getLong("purchases"), null,
                row.getLong("amount"))).map(rows -> rows.get(0));
    }

    /** Purchases and their amount in one hour of one day. */
    record HourSales(LocalDate day, int hour, long purchases, long amount) {
    }

    Uni<List<HourSales>> hourSales(SqlClient client, DaySource days, SalesFilter filter) {
        return list(client, HOUR_SALES, days.arguments().addValue(filter.partnerId()).addValue(filter.channel()).addValue(filter.tier()), row -> new HourSales(row.getLocalDate("day"), row.getInteger("hour"),
                row.getLong("purchases"), row.getLong("amount")));
    }

    /** Members enrolled in one month through one channel. */
    record Enrolments(LocalDate month, String channel, long members) {
    }

    /** One month's buyers: all of them, those whose repurchase window is over, and those of them who came back. */
    record ActiveMonth(LocalDate month, long active, long settled, long cameBack) {
    }

    /** Tier changes from one tier to another in one month. */
    record TierMove(LocalDate month, String from, String to, long members) {
    }

    /** What one month's enrolments have bought. */
    record CohortPurchases(LocalDate cohortMonth, long purchases, long amount) {
    }

    /** One month's coupons and reward claims, and what became of them. */
    record BenefitMonth(LocalDate month, long couponsIssued, long couponsRedeemed, long claims, long fulfilled, long cancelled) {
    }

    /** The members report's figures for the months from {@code first} until {@code end}: each statement in {@code client}'s snapshot. */
    record MonthFigures(List<Enrolments> enrolments, List<ActiveMonth> active, List<TierMove> tierMoves, List<CohortPurchases> cohorts,
            List<BenefitMonth> benefits) {
    }

    Uni<MonthFigures> monthFigures(SqlClient client, LocalDate first, LocalDate end, ZoneId timeZone, int repurchaseDays,
            LocalDate firstDayNotHeld, Narrowing segment) {
        Tuple instants = Tuple.of(first.atStartOfDay(timeZone).toOffsetDateTime(), end.atStartOfDay(timeZone).toOffsetDateTime(),
                timeZone.getId());
        Uni<List<Enrolments>> enrolments = list(client, ENROLMENTS, instants, segment, row -> new Enrolments(row.getLocalDate("month"),
                row.getString("channel"), row.getLong("members")));
        Uni<List<ActiveMonth>> active = activeMonths(client, first, end, repurchaseDays, firstDayNotHeld, segment);
        Uni<List<TierMove>> tierMoves = list(client, TIER_MOVES, instants, segment, row -> new TierMove(row.getLocalDate("month"),
                row.getString("from_tier"), row.getString("to_tier"), row.getLong("members")));
        // The rollups keep what cohorts bought per month of enrolment, not per member: no segment narrows it.
        Uni<List<CohortPurchases>> cohorts = segment != null ? Uni.createFrom().item(List.of())
                : list(client, COHORT_PURCHASES, Tuple.of(first, end), row -> new CohortPurchases(row.getLocalDate("cohort_month"),
                        row.getLong("purchases"), row.getLong("amount")));
        Uni<List<BenefitMonth>> benefits = list(client, BENEFITS, instants, segment, row -> new BenefitMonth(row.getLocalDate("month"),
                row.getLong("coupons_issued"), row.getLong("coupons_redeemed"), row.getLong("claims"), row.getLong("fulfilled"),
                row.getLong("cancelled")));
        return Uni.combine().all().unis(enrolments, active, tierMoves, cohorts, benefits).asTuple()
                .map(read -> new MonthFigures(read.getItem1(), read.getItem2(), read.getItem3(), read.getItem4(), read.getItem5()));
    }

    /**
     * The first month whose buyers' rows a purchase can still change, when the rollups hold every
     * day before {@code firstDayNotWhole}: a purchase sets the next purchase of its month's rows and
     * of the two months before it (MEMBERS_CAME_BACK), so a month's rows are final once the days
     * through the end of the second month after it are rolled up.
     */
    static LocalDate settledMonthsBefore(LocalDate firstDayNotWhole) {
        return firstDayNotWhole.withDayOfMonth(1).minusMonths(2);
    }

    /**
     * The buyers of the months [{@code first}, {@code end}): of a segment, from its sums for the
     * settled months they cover, joined with the snapshot for the months after them.
     */
    private static Uni<List<ActiveMonth>> activeMonths(SqlClient client, LocalDate first, LocalDate end, int repurchaseDays,
            LocalDate firstDayNotWhole, Narrowing segment) {
        LocalDate summedUntil = segment == null ? null : segment.monthsSummedUntil(first, settledMonthsBefore(firstDayNotWhole));
        if (summedUntil == null || !summedUntil.isAfter(first)) {
            return joinedActiveMonths(client, first, end, repurchaseDays, firstDayNotWhole, segment);
        }
        LocalDate joinedFrom = summedUntil.isBefore(end) ? summedUntil : end;
        Uni<List<ActiveMonth>> summed = list(client, SUMMED_ACTIVE_MONTHS, Tuple.of(first, joinedFrom, repurchaseDays, firstDayNotWhole,
                segment.snapshot().snapshotId()), ReportRepository::activeMonth);
        return summed.flatMap(settled -> joinedFrom.equals(end) ? Uni.createFrom().item(settled)
                : joinedActiveMonths(client, joinedFrom, end, repurchaseDays, firstDayNotWhole, segment).map(recent -> {
                    List<ActiveMonth> months = new ArrayList<>(settled);
                    months.addAll(recent);
                    return months;
                }));
    }

    private static Uni<List<ActiveMonth>> joinedActiveMonths(SqlClient client, LocalDate first, LocalDate end, int repurchaseDays,
            LocalDate firstDayNotWhole, Narrowing segment) {
        return list(client, ACTIVE_MONTHS, Tuple.of(first, end, repurchaseDays, firstDayNotWhole), segment, ReportRepository::activeMonth);
    }

    private static ActiveMonth activeMonth(Row row) {
        return new ActiveMonth(row.getLocalDate("month"), row.getLong("active"), row.getLong("settled"), row.getLong("came_back"));
    }

    /**
     * Sums the buyers of the months [{@code from}, {@code before}) among the members of
     * {@code segment}, unless summed already or the snapshot is gone; whether this did. The
     * members enrolled since the count are not left out: none bought in a month before it.
     */
    Uni<Boolean> sumMonths(SegmentSnapshot segment, LocalDate from, LocalDate before, Duration timeout) {
        return pool.withTransaction(transaction -> transaction.query("SET LOCAL statement_timeout = " + timeout.toMillis()).execute()
                .chain(() -> transaction.query("SET LOCAL work_mem = '" + workMemoryMegabytes + "MB'").execute())
                // Planned for this snapshot and these months, as a narrowed report is (see inSnapshot).
                .chain(() -> transaction.query("SET LOCAL plan_cache_mode = force_custom_plan").execute())
                .chain(() -> transaction.preparedQuery(SNAPSHOT_TO_SUM).execute(Tuple.of(segment.snapshotId())))
                .flatMap(snapshot -> {
                    if (snapshot.size() == 0 || snapshot.iterator().next().getBoolean("summed")) {
                        return Uni.createFrom().item(false);
                    }
                    Narrowed insert = narrowed(SUM_MONTHS, Tuple.of(from, before, segment.snapshotId()),
                            new Narrowing(segment, new UUID[0], null, null));
                    return transaction.preparedQuery(insert.statement()).execute(insert.values())
                            .chain(() -> transaction.preparedQuery(MONTHS_SUMMED).execute(Tuple.of(segment.snapshotId(), from, before)))
                            .replaceWith(true);
                }));
    }

    Uni<List<Row>> campaignNames(SqlClient client, UUID[] campaignIds) {
        return list(client, CAMPAIGN_NAMES, Tuple.of(campaignIds), row -> row);
    }

    private static <T> Uni<List<T>> list(SqlClient client, String statement, Tuple arguments, Function<Row, T> mapper) {
        return list(client, statement, arguments, null, mapper);
    }

    /** The rows of {@code statement}, narrowed to the members of {@code segment} when given (see {@link #narrowed}). */
    private static <T> Uni<List<T>> list(SqlClient client, String statement, Tuple arguments, Narrowing segment,
            Function<Row, T> mapper) {
        Narrowed query = narrowed(statement, arguments, segment);
        return client.preparedQuery(query.statement()).execute(query.values()).map(rows -> {
            List<T> list = new ArrayList<>(rows.size());
            rows.forEach(row -> list.add(mapper.apply(row)));
            return list;
        });
    }

    /** A statement with its segment conditions written out, and its values. */
    private record Narrowed(String statement, Tuple values) {
    }

    /**
     * {@code statement} narrowed to the members of {@code segment} when given: each
     * {@code {segment:column}} becomes {@code AND} the snapshot admits the member in that column,
     * the snapshot's parameters numbered after {@code arguments}; otherwise, nothing.
     */
    private static Narrowed narrowed(String statement, Tuple arguments, Narrowing segment) {
        String narrowed = SEGMENT_CONDITION.matcher(statement).replaceAll(match -> segment == null ? ""
                : Matcher.quoteReplacement("AND " + segment.admits(match.group(1), arguments.size() + 1)));
        Tuple values = arguments;
        if (segment != null) {
            values = Tuple.tuple();
            for (int index = 0; index < arguments.size(); index++) {
                values.addValue(arguments.getValue(index));
            }
            for (Object parameter : segment.parameters()) {
                values.addValue(parameter);
            }
        }
        return new Narrowed(narrowed, values);
    }

    private static TransferDay transferDay(Row row) {
        return new TransferDay(row.getLocalDate("day"), row.getString("partner_id"), row.getString("channel"), row.getString("kind"),
                row.getString("tier"), row.getLong("transfers"), row.getLong("points"), row.getLong("posted_delta"), row.getLong("held_delta"),
                row.getLong("bonus_points"), row.getLong("amount_minor_units"));
    }

    private static BonusDay bonusDay(Row row) {
        return new BonusDay(row.getLocalDate("day"), row.getString("partner_id"), row.getString("channel"), row.getUUID("campaign_id"),
                row.getString("tier"), row.getLong("grants"), row.getLong("points"));
    }

    private static LotFlow lotFlow(Row row) {
        return new LotFlow(row.getString("issuing_partner_id"), row.getLocalDate("cohort_month"), row.getString("flow"), row.getLong("points"));
    }
}
