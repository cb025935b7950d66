package io.pointsledger.reports;

import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.program.PointValues;
import io.pointsledger.program.ProgramConfig;
import io.pointsledger.segments.SegmentSnapshot;
import io.pointsledger.segments.SegmentSnapshots;
import io.pointsledger.tiers.Tier;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The program's reports. A report over days reads the rollups alone (days rolled up whole, and
 * today's slices up to about two minutes ago), never the transfers, so that what it costs grows
 * neither with the history nor with the write rate; each answer says until when it counts. A
 * report narrowed to a segment reads the segment's members as they were last counted
 * (SegmentSnapshots), and says when.
 */
@ApplicationScoped
public class ReportService {

    /** The horizons of the liability's expiring points, in days. */
    static final int[] EXPIRING_HORIZON_DAYS = {30, 60, 90};

    /** Lot flows that spend points: redemptions, captures, claims and their cancellations, donations, and refunds of them. */
    private static final Set<String> SPENDING = Set.of("REDEEM", "CAPTURE", "REWARD_CLAIM", "REWARD_CANCELLATION", "DONATION", "REFUND");

    /** Answers kept per report and query (quarkus.cache.caffeine."reports": 30 s); a failure is never kept. */
    static final String CACHE = "reports";

    private final ReportRepository repository;
    private final SegmentSnapshots snapshots;
    private final ReportsConfig config;
    private final ProgramConfig program;
    private final ZoneId timeZone;
    private final Cache answers;

    ReportService(ReportRepository repository, SegmentSnapshots snapshots, ReportsConfig config, ProgramConfig program,
            @CacheName(CACHE) Cache answers) {
        this.repository = repository;
        this.snapshots = snapshots;
        this.config = config;
        this.program = program;
        this.timeZone = program.timeZone();
        this.answers = answers;
    }

    /**
     * The answer to the query {@code key} names, computed once however many ask at the same time,
     * and kept for the cache's lifetime: readers polling a dashboard must not load the database
     * the write path uses.
     */
    private <T> Uni<T> cached(List<Object> key, Supplier<Uni<T>> compute) {
        return answers.getAsync(key, any -> compute.get());
    }

    /** Points in and out per day. Fails with VALIDATION_FAILED for a bad period. */
    public Uni<EarnBurnReport> earnBurn(String fromText, String toText, String partnerId, String channel, Tier tier) {
        refuseABadPeriod(fromText, toText);
        String tierName = tier == null ? null : tier.name();
        return cached(Arrays.asList("earn-burn", fromText, toText, partnerId, channel, tierName), () -> computeEarnBurn(fromText, toText,
                partnerId, channel, tierName));
    }

    private Uni<EarnBurnReport> computeEarnBurn(String fromText, String toText, String partnerId, String channel, String tierName) {
        return repository.inSnapshot(client -> repository.now(client).flatMap(now -> {
            ReportPeriod period = period(fromText, toText, now);
            Predicate<String> partner = wanted(partnerId);
            Predicate<String> through = wanted(channel);
            Predicate<String> ofTier = wanted(tierName);
            return repository.rolledRun(client, timeZone).flatMap(rolled -> {
                ReportRepository.DaySource source = source(period.from(), period.to(), rolled, timeZone);
                return Uni.combine().all().unis(repository.transferDays(client, source), repository.bonusDays(client, source)).asTuple()
                        .flatMap(read -> {
                    Map<LocalDate, List<ReportRepository.TransferDay>> byDay = new HashMap<>();
                    read.getItem1().stream()
                            .filter(row -> partner.test(row.partnerId()) && through.test(row.channel()) && ofTier.test(row.tier()))
                            .forEach(row -> byDay.computeIfAbsent(row.day(), day -> new ArrayList<>()).add(row));
                    List<EarnBurnDay> days = period.from().datesUntil(period.to())
                            .map(day -> EarnBurnDay.of(day, byDay.getOrDefault(day, List.of()))).toList();
                    List<ReportRepository.BonusDay> bonuses = read.getItem2().stream()
                            .filter(row -> partner.test(row.partnerId()) && through.test(row.channel()) && ofTier.test(row.tier())).toList();
                    return campaigns(client, bonuses).map(campaigns -> new EarnBurnReport(period.from(), period.to(), timeZone.getId(),
                            partnerId, channel, tierName, recordedUntil(rolled), days, EarnBurnDay.total(days),
                            campaigns));
                });
            });
        }));
    }

    /**
     * The points owed now, narrowed to a tier and a segment when asked, read in one snapshot so
     * that its parts add up. Fails with SEGMENT_NOT_FOUND for an unknown segment.
     */
    public Uni<LiabilityReport> liability(Tier tier, UUID segmentId) {
        String tierName = tier == null ? null : tier.name();
        return ofSegment(segmentId, segment -> cached(Arrays.asList("liability", tierName, key(segment)),
                () -> computeLiability(tierName, segment)));
    }

    private Uni<LiabilityReport> computeLiability(String tierName, SegmentSnapshot segment) {
        return repository.inSnapshot(segment, (client, members) -> repository.now(client).flatMap(now -> repository.accountsByTier(client, tierName, members)
                .flatMap(tiers -> repository.expiring(client, now.plusDays(EXPIRING_HORIZON_DAYS[0]), now.plusDays(EXPIRING_HORIZON_DAYS[1]),
                                now.plusDays(EXPIRING_HORIZON_DAYS[2]), tierName, members)
                        .flatMap(expiring -> repository.rolledRun(client, timeZone).flatMap(rolled -> rolledLotFlows(client, rolled, null)
                                .map(flows -> liabilityOf(now, tierName, segment, tiers, expiring, flows, recordedUntil(rolled))))))));
    }

    /**
     * {@code report} of the members of the segment (null: of everyone), started once more on a
     * newer snapshot when the one it was given was replaced before the report began to read it, or
     * has too many members enrolled since. Fails with SEGMENT_NOT_FOUND.
     */
    private <T> Uni<T> ofSegment(UUID segmentId, Function<SegmentSnapshot, Uni<T>> report) {
        if (segmentId == null) {
            return report.apply(null);
        }
        return snapshots.fresh(segmentId).flatMap(segment -> report.apply(segment))
                .onFailure(ReportRepository.SegmentSnapshotOutOfDate.class).recoverWithUni(outOfDate -> snapshots
                        .recount(((ReportRepository.SegmentSnapshotOutOfDate) outOfDate).snapshot()).flatMap(segment -> report.apply(segment)))
                // Out of date again at once: members enrol faster than the segment is counted.
                .onFailure(ReportRepository.SegmentSnapshotOutOfDate.class).transform(again -> new ProblemException(
                        ErrorCode.SERVICE_UNAVAILABLE, "The segment's members are being counted while many enrol; retry in a moment"));
    }

    /** A segment in a cached answer's key: the snapshot of its members, so that an answer is never another count's. */
    private static UUID key(SegmentSnapshot segment) {
        return segment == null ? null : segment.snapshotId();
    }

    /** What became of each month's issued points, read in one snapshot. Fails with VALIDATION_FAILED for a bad period. */
    public Uni<BreakageReport> breakage(String fromText, String toText, String partnerId, String channel) {
        refuseABadPeriod(fromText, toText);
        return cached(Arrays.asList("breakage", fromText, toText, partnerId, channel), () -> computeBreakage(fromText, toText, partnerId,
                channel));
    }

    private Uni<BreakageReport> computeBreakage(String fromText, String toText, String partnerId, String channel) {
        return repository.inSnapshot(client -> repository.now(client).flatMap(now -> {
            ReportPeriod period = period(fromText, toText, now);
            Predicate<String> partner = wanted(partnerId);
            YearMonth first = YearMonth.from(period.from());
            return repository.rolledRun(client, timeZone).flatMap(rolled -> rolledLotFlows(client, rolled, channel).map(flows -> {
                Map<YearMonth, Map<String, Long>> byCohort = new TreeMap<>();
                for (YearMonth month = first; month.atDay(1).isBefore(period.to()); month = month.plusMonths(1)) {
                    byCohort.put(month, new HashMap<>());
                }
                flows.stream().filter(flow -> partner.test(flow.issuingPartnerId())).forEach(flow -> {
                    Map<String, Long> cohort = byCohort.get(YearMonth.from(flow.cohortMonth()));
                    if (cohort != null) {
                        cohort.merge(flow.flow(), flow.points(), Long::sum);
                    }
                });
                List<BreakageReport.Cohort> cohorts = byCohort.entrySet().stream()
                        .map(entry -> cohort(entry.getKey(), entry.getValue())).toList();
                return new BreakageReport(period.from(), period.to(), timeZone.getId(), partnerId, channel,
                        recordedUntil(rolled), cohorts);
            }));
        }));
    }

    /**
     * The members month by month, over the months from the month of {@code from} up to {@code to},
     * read in one snapshot, of a segment's members when asked. Fails with VALIDATION_FAILED for a
     * bad period or repurchase window, SEGMENT_NOT_FOUND for an unknown segment.
     */
    public Uni<MembersReport> members(String fromText, String toText, String repurchaseDaysText, UUID segmentId) {
        int repurchaseDays = Paging.wholeNumber("repurchaseDays", repurchaseDaysText, ReportsConfig.REPURCHASE_DAYS_DEFAULT,
                ReportsConfig.REPURCHASE_DAYS_MAX);
        refuseABadPeriod(fromText, toText);
        return ofSegment(segmentId, segment -> cached(Arrays.asList("members", fromText, toText, repurchaseDays, key(segment)),
                () -> computeMembers(fromText, toText, repurchaseDays, segment)));
    }

    private Uni<MembersReport> computeMembers(String fromText, String toText, int repurchaseDays, SegmentSnapshot segment) {
        return repository.inSnapshot(segment, (client, members) -> repository.now(client).flatMap(now -> {
            ReportPeriod period = period(fromText, toText, now);
            YearMonth first = YearMonth.from(period.from());
            YearMonth last = YearMonth.from(period.to().minusDays(1));
            return repository.rolledRun(client, timeZone).flatMap(rolled -> {
                // The first day the rollups do not hold whole: today, while its slices go on.
                LocalDate firstDayNotWhole = rolled.map(run -> run.through().atZoneSameInstant(timeZone).toLocalDate()).orElse(first.atDay(1));
                return repository.monthFigures(client, first.atDay(1), last.plusMonths(1).atDay(1), timeZone, repurchaseDays, firstDayNotWhole,
                                members)
                        .flatMap(figures -> repository.accountsByTier(client, null, members).map(tiers -> MembersReports.of(period, first,
                                last, timeZone, repurchaseDays, segment,
                                rolled.map(ReportRepository.RolledRun::through).orElse(null), figures, tiers)));
            });
        }));
    }

    /**
     * The period, refused when malformed or too long before any computation starts (a computation
     * that fails is logged): whether a period is valid does not depend on which day today is, only
     * its defaults do.
     */
    private ReportPeriod refuseABadPeriod(String fromText, String toText) {
        return period(fromText, toText, OffsetDateTime.now(timeZone));
    }

    /**
     * Sales over the period broken down {@code by}, next to the period before (a year before for
     * months and quarters). Fails with VALIDATION_FAILED for a bad period or limit, a partner,
     * channel or tier with customers (ranked across them all), a segment with anything but
     * customers, or customers over more than salesCustomerPeriodDaysMax; SEGMENT_NOT_FOUND for an
     * unknown segment.
     */
    public Uni<SalesReport> sales(String fromText, String toText, SalesFilter filter, SalesBreakdown by, String limitText, UUID segmentId) {
        SalesBreakdown breakdown = by == null ? SalesBreakdown.PRODUCT : by;
        int limit = Paging.pageSize(limitText, ReportsConfig.SALES_ROWS_DEFAULT, ReportsConfig.SALES_ROWS_MAX);
        if (breakdown == SalesBreakdown.CUSTOMER) {
            // The rollups keep what each member bought per day, not per partner, channel or tier.
            refuseForCustomers("partnerId", filter.partnerId());
            refuseForCustomers("channel", filter.channel());
            refuseForCustomers("tier", filter.tier());
        }
        if (segmentId != null && breakdown != SalesBreakdown.CUSTOMER) {
            // The rollups keep sales per member only as customers' totals, not per product or hour.
            throw ProblemException.invalid("segmentId", "narrows sales by CUSTOMER only");
        }
        ReportPeriod period = refuseABadPeriod(fromText, toText);
        if (breakdown == SalesBreakdown.CUSTOMER && ChronoUnit.DAYS.between(period.from(), period.to()) > config.salesCustomerPeriodDaysMax()) {
            throw ProblemException.invalid("to", "customers are ranked over " + config.salesCustomerPeriodDaysMax() + " days at most");
        }
        return ofSegment(segmentId, segment -> cached(Arrays.asList("sales", fromText, toText, filter, breakdown, limit, key(segment)),
                () -> computeSales(fromText, toText, filter, breakdown, limit, segment)));
    }

    private static void refuseForCustomers(String parameter, String value) {
        if (value != null) {
            throw ProblemException.invalid(parameter, "customers are ranked across every partner, channel and tier");
        }
    }

    private Uni<SalesReport> computeSales(String fromText, String toText, SalesFilter filter, SalesBreakdown breakdown, int limit,
            SegmentSnapshot segment) {
        return repository.inSnapshot(segment, (client, members) -> repository.now(client).flatMap(now -> {
            ReportPeriod period = period(fromText, toText, now);
            long days = ChronoUnit.DAYS.between(period.from(), period.to());
            ReportPeriod previous = new ReportPeriod(period.from().minusDays(days), period.from());
            return repository.rolledRun(client, timeZone).flatMap(rolled -> {
                ReportRepository.DaySource current = source(period.from(), period.to(), rolled, timeZone);
                ReportRepository.DaySource before = source(previous.from(), previous.to(), rolled, timeZone);
                Uni<SalesReport.Row> totals = segment != null ? segmentTotals(client, current, before, members)
                        : Uni.combine().all().unis(repository.hourSales(client, current, filter),
                        repository.hourSales(client, before, filter)).asTuple().map(read -> SalesReport.Row.of("total", null,
                        read.getItem1().stream().mapToLong(ReportRepository.HourSales::purchases).sum(), null,
                        read.getItem1().stream().mapToLong(ReportRepository.HourSales::amount).sum(),
                        read.getItem2().stream().mapToLong(ReportRepository.HourSales::amount).sum()));
                Uni<List<SalesReport.Row>> rows = switch (breakdown) {
                    case PRODUCT, CATEGORY -> itemRows(client, current, before, filter, breakdown == SalesBreakdown.CATEGORY, limit);
                    case CUSTOMER -> customerRows(client, current, before, limit, members);
                    case MONTH, QUARTER -> seasonRows(client, period, source(period.from().minusYears(1), period.to().minusYears(1), rolled,
                            timeZone), current, filter, breakdown);
                    case WEEKDAY_HOUR -> weekRows(client, current, before, filter);
                };
                return Uni.combine().all().unis(totals, rows).asTuple().map(read -> new SalesReport(period.from(), period.to(),
                        previous.from(), previous.to(), breakdown, timeZone.getId(), filter.partnerId(), filter.channel(), filter.tier(),
                        segment == null ? null : segment.segmentId(), segment == null ? null : segment.takenAt(), recordedUntil(rolled),
                        read.getItem1(), read.getItem2()));
            });
        }));
    }

    private Uni<List<SalesReport.Row>> itemRows(SqlClient client, ReportRepository.DaySource current, ReportRepository.DaySource before,
            SalesFilter filter, boolean byCategory, int limit) {
        return repository.itemSales(client, current, filter, byCategory, limit, null).flatMap(sold -> {
            String[] keys = sold.stream().map(ReportRepository.Sold::key).toArray(String[]::new);
            Uni<List<ReportRepository.Sold>> earlier = keys.length == 0 ? Uni.createFrom().item(List.of())
                    : repository.itemSales(client, before, filter, byCategory, keys.length, keys);
            return earlier.map(previous -> compared(sold, previous, byCategory));
        });
    }

    private Uni<List<SalesReport.Row>> customerRows(SqlClient client, ReportRepository.DaySource current,
            ReportRepository.DaySource before, int limit, Narrowing segment) {
        return repository.memberSales(client, current, limit, null, segment).flatMap(sold -> {
            UUID[] members = sold.stream().map(row -> UUID.fromString(row.key())).toArray(UUID[]::new);
            Uni<List<ReportRepository.Sold>> earlier = members.length == 0 ? Uni.createFrom().item(List.of())
                    : repository.memberSales(client, before, members.length, members, null);
            return earlier.map(previous -> compared(sold, previous, false));
        });
    }

    /** What the segment's members bought in the period, next to the period before. */
    private Uni<SalesReport.Row> segmentTotals(SqlClient client, ReportRepository.DaySource current, ReportRepository.DaySource before,
            Narrowing segment) {
        return repository.segmentSales(client, current, segment).flatMap(now -> repository.segmentSales(client, before, segment)
                .map(earlier -> SalesReport.Row.of("total", null, now.count(), null, now.amount(), earlier.amount())));
    }

    private static List<SalesReport.Row> compared(List<ReportRepository.Sold> sold, List<ReportRepository.Sold> previous,
            boolean byCategory) {
        Map<String, Long> before = previous.stream().collect(Collectors.toMap(ReportRepository.Sold::key, ReportRepository.Sold::amount));
        return sold.stream().map(row -> SalesReport.Row.of(row.key(), byCategory ? null : row.category(), row.count(), row.quantity(),
                row.amount(), before.getOrDefault(row.key(), 0L))).toList();
    }

    /** Every month or quarter of the period, next to the same one a year before. */
    private Uni<List<SalesReport.Row>> seasonRows(SqlClient client, ReportPeriod period, ReportRepository.DaySource yearBefore,
            ReportRepository.DaySource current, SalesFilter filter, SalesBreakdown by) {
        Function<LocalDate, String> season = by == SalesBreakdown.MONTH ? day -> YearMonth.from(day).toString()
                : day -> day.getYear() + "-Q" + ((day.getMonthValue() - 1) / 3 + 1);
        return Uni.combine().all().unis(repository.hourSales(client, current, filter), repository.hourSales(client, yearBefore, filter))
                .asTuple()
                .map(read -> {
                    Map<String, long[]> now = bucket(read.getItem1(), hour -> season.apply(hour.day()));
                    Map<String, long[]> before = bucket(read.getItem2(), hour -> season.apply(hour.day().plusYears(1)));
                    return period.from().datesUntil(period.to()).map(season).distinct().map(key -> {
                        long[] sums = now.getOrDefault(key, new long[2]);
                        return SalesReport.Row.of(key, null, sums[0], null, sums[1], before.getOrDefault(key, new long[2])[1]);
                    }).toList();
                });
    }

    /** The 168 hours of the week, Monday 00 first, next to the period before. */
    private Uni<List<SalesReport.Row>> weekRows(SqlClient client, ReportRepository.DaySource current, ReportRepository.DaySource before,
            SalesFilter filter) {
        Function<ReportRepository.HourSales, String> hourOfWeek = hour -> hour.day().getDayOfWeek()
                + String.format(" %02d", hour.hour());
        return Uni.combine().all().unis(repository.hourSales(client, current, filter), repository.hourSales(client, before, filter))
                .asTuple()
                .map(read -> {
                    Map<String, long[]> now = bucket(read.getItem1(), hourOfWeek);
                    Map<String, long[]> earlier = bucket(read.getItem2(), hourOfWeek);
                    List<SalesReport.Row> rows = new ArrayList<>();
                    for (DayOfWeek day : DayOfWeek.values()) {
                        for (int hour = 0; hour < 24; hour++) {
                            String key = day + String.format(" %02d", hour);
                            long[] sums = now.getOrDefault(key, new long[2]);
                            rows.add(SalesReport.Row.of(key, null, sums[0], null, sums[1], earlier.getOrDefault(key, new long[2])[1]));
                        }
                    }
                    return rows;
                });
    }

    /** Purchases and amount summed per key. */
    private static Map<String, long[]> bucket(List<ReportRepository.HourSales> hours,
            Function<ReportRepository.HourSales, String> key) {
        Map<String, long[]> sums = new HashMap<>();
        hours.forEach(hour -> {
            long[] sum = sums.computeIfAbsent(key.apply(hour), any -> new long[2]);
            sum[0] += hour.purchases();
            sum[1] += hour.amount();
        });
        return sums;
    }

    /**
     * The days of [from, to) the rollups hold (the last one's rows may be its slices so far): a
     * report reads them alone, never the transfers, so what it costs does not grow with the write
     * rate. Before anything is rolled up, none.
     */
    static ReportRepository.DaySource source(LocalDate from, LocalDate to, Optional<ReportRepository.RolledRun> rolled, ZoneId zone) {
        if (rolled.isEmpty()) {
            return new ReportRepository.DaySource(from, from);
        }
        LocalDate rolledFrom = latest(from, rolled.get().first());
        return new ReportRepository.DaySource(rolledFrom, latest(rolledFrom, earliest(to, firstDayNotHeld(rolled.get().through(), zone))));
    }

    /** The first day of which the rollups hold nothing, when they hold what was recorded until {@code through}. */
    private static LocalDate firstDayNotHeld(OffsetDateTime through, ZoneId zone) {
        LocalDate day = through.atZoneSameInstant(zone).toLocalDate();
        return through.isEqual(startOf(day, zone)) ? day : day.plusDays(1);
    }

    private static OffsetDateTime startOf(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toOffsetDateTime();
    }

    private static LocalDate earliest(LocalDate one, LocalDate other) {
        return one.isBefore(other) ? one : other;
    }

    private static LocalDate latest(LocalDate one, LocalDate other) {
        return one.isAfter(other) ? one : other;
    }

    private static BreakageReport.Cohort cohort(YearMonth month, Map<String, Long> flows) {
        long issued = flows.getOrDefault("ISSUED", 0L);
        long redeemed = -flows.entrySet().stream().filter(flow -> SPENDING.contains(flow.getKey())).mapToLong(Map.Entry::getValue).sum();
        long expired = -flows.getOrDefault("EXPIRY", 0L);
        long reversed = -flows.getOrDefault("REVERSAL", 0L);
        long adjusted = -flows.getOrDefault("ADJUSTMENT", 0L);
        long outstanding = flows.values().stream().mapToLong(Long::longValue).sum();
        return new BreakageReport.Cohort(month.toString(), issued, redeemed, expired, reversed, adjusted, outstanding,
                share(expired, issued), share(redeemed, issued));
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : Math.round(part * 10_000.0 / whole) / 10_000.0;
    }

    /** Every lot flow the rollups hold, per partner, cohort and flow (of lots issued through channel, when given); none before anything is rolled up. */
    private Uni<List<ReportRepository.LotFlow>> rolledLotFlows(SqlClient client, Optional<ReportRepository.RolledRun> rolled, String channel) {
        if (rolled.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        ReportRepository.RolledRun run = rolled.get();
        return repository.rolledLotFlows(client, run.first(), firstDayNotHeld(run.through(), timeZone).minusDays(1), channel);
    }

    /** Until when the rollups hold the transfers: what a report's figures count; null before anything is rolled up. */
    private static OffsetDateTime recordedUntil(Optional<ReportRepository.RolledRun> rolled) {
        return rolled.map(ReportRepository.RolledRun::through).orElse(null);
    }

    private LiabilityReport liabilityOf(OffsetDateTime now, String tier, SegmentSnapshot segment, List<ReportRepository.TierAccounts> tiers,
            ReportRepository.Expiring expiring, List<ReportRepository.LotFlow> flows, OffsetDateTime recordedUntil) {
        long perThousand = program.pointValuePerThousandPoints();
        List<LiabilityReport.TierLiability> byTier = tiers.stream().sorted(Comparator.comparing(row -> Tier.valueOf(row.tier())))
                .map(row -> new LiabilityReport.TierLiability(row.tier(), row.members(), row.outstanding(), row.held(),
                        PointValues.value(row.outstanding(), perThousand)))
                .toList();
        long outstanding = tiers.stream().mapToLong(ReportRepository.TierAccounts::outstanding).sum();
        long held = tiers.stream().mapToLong(ReportRepository.TierAccounts::held).sum();
        long owed = tiers.stream().mapToLong(ReportRepository.TierAccounts::owed).sum();
        Map<String, Long> byPartner = flows.stream().collect(Collectors.groupingBy(ReportRepository.LotFlow::issuingPartnerId, TreeMap::new,
                Collectors.summingLong(ReportRepository.LotFlow::points)));
        List<LiabilityReport.PartnerLiability> partners = byPartner.entrySet().stream().filter(entry -> entry.getValue() != 0)
                .map(entry -> new LiabilityReport.PartnerLiability(entry.getKey(), entry.getValue(), PointValues.value(entry.getValue(), perThousand)))
                .toList();
        long[] expiringPoints = {expiring.first(), expiring.second(), expiring.third()};
        List<LiabilityReport.ExpiringPoints> soon = new ArrayList<>();
        for (int index = 0; index < EXPIRING_HORIZON_DAYS.length; index++) {
            soon.add(new LiabilityReport.ExpiringPoints(EXPIRING_HORIZON_DAYS[index], expiringPoints[index],
                    PointValues.value(expiringPoints[index], perThousand)));
        }
        boolean whole = tier == null && segment == null;
        return new LiabilityReport(now, tier, segment == null ? null : segment.segmentId(), segment == null ? null : segment.takenAt(), program.currency(), perThousand, outstanding, held, outstanding - held, owed,
                PointValues.value(outstanding, perThousand), tiers.stream().mapToLong(ReportRepository.TierAccounts::members).sum(),
                tiers.stream().mapToLong(ReportRepository.TierAccounts::membersWithPoints).sum(), byTier, partners, recordedUntil,
                whole ? outstanding - byPartner.values().stream().mapToLong(Long::longValue).sum() : null, soon);
    }

    private Uni<List<CampaignBonus>> campaigns(SqlClient client, List<ReportRepository.BonusDay> bonuses) {
        Map<UUID, long[]> byCampaign = new HashMap<>();
        bonuses.forEach(bonus -> {
            long[] sums = byCampaign.computeIfAbsent(bonus.campaignId(), id -> new long[2]);
            sums[0] += bonus.grants();
            sums[1] += bonus.points();
        });
        if (byCampaign.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return repository.campaignNames(client, byCampaign.keySet().toArray(UUID[]::new)).map(rows -> {
            Map<UUID, String> names = new HashMap<>();
            rows.forEach(row -> names.put(row.getUUID("campaign_id"), row.getString("name")));
            return byCampaign.entrySet().stream()
                    .map(entry -> new CampaignBonus(entry.getKey(), names.get(entry.getKey()), entry.getValue()[0], entry.getValue()[1]))
                    .sorted(Comparator.comparingLong(CampaignBonus::points).reversed().thenComparing(CampaignBonus::campaignId))
                    .toList();
        });
    }

    private ReportPeriod period(String fromText, String toText, OffsetDateTime now) {
        return ReportPeriod.parse(fromText, toText, now.atZoneSameInstant(timeZone).toLocalDate(), config.periodDaysDefault(),
                config.periodDaysMax());
    }

    private static Predicate<String> wanted(String value) {
        return value == null ? any -> true : value::equals;
    }
}
