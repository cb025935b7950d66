package io.pointsledger.reports;

import io.pointsledger.segments.SegmentSnapshot;
import io.pointsledger.tiers.Tier;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The members report put together from the figures read for it. */
final class MembersReports {

    private MembersReports() {
    }

    static MembersReport of(ReportPeriod period, YearMonth first, YearMonth last, ZoneId timeZone, int repurchaseDays, SegmentSnapshot segment,
            OffsetDateTime recordedUntil, ReportRepository.MonthFigures figures, List<ReportRepository.TierAccounts> tiers) {
        Map<YearMonth, Map<String, Long>> enrolments = new HashMap<>();
        figures.enrolments().forEach(row -> enrolments.computeIfAbsent(YearMonth.from(row.month()), month -> new HashMap<>())
                .merge(row.channel(), row.members(), Long::sum));
        Map<YearMonth, ReportRepository.ActiveMonth> active = byMonth(figures.active(), ReportRepository.ActiveMonth::month);
        Map<YearMonth, ReportRepository.CohortPurchases> cohorts = byMonth(figures.cohorts(), ReportRepository.CohortPurchases::cohortMonth);
        Map<YearMonth, ReportRepository.BenefitMonth> benefits = byMonth(figures.benefits(), ReportRepository.BenefitMonth::month);
        Map<YearMonth, long[]> moves = new HashMap<>();
        figures.tierMoves().forEach(move -> moves.computeIfAbsent(YearMonth.from(move.month()), month -> new long[2])
                [upwards(move) ? 0 : 1] += move.members());

        List<MembersReport.Month> months = new ArrayList<>();
        for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
            months.add(month(month, enrolments.getOrDefault(month, Map.of()), active.get(month), segment == null, cohorts.get(month),
                    benefits.get(month), moves.getOrDefault(month, new long[2])));
        }
        List<MembersReport.TierMembers> tierMembers = tiers.stream().sorted(Comparator.comparing(row -> Tier.valueOf(row.tier())))
                .map(row -> new MembersReport.TierMembers(row.tier(), row.members())).toList();
        List<MembersReport.TierMovement> movements = figures.tierMoves().stream()
                .collect(Collectors.groupingBy(move -> List.of(move.from(), move.to()), Collectors.summingLong(ReportRepository.TierMove::members)))
                .entrySet().stream()
                .map(entry -> new MembersReport.TierMovement(entry.getKey().get(0), entry.getKey().get(1), entry.getValue()))
                .sorted(Comparator.comparingLong(MembersReport.TierMovement::members).reversed()
                        .thenComparing(MembersReport.TierMovement::from).thenComparing(MembersReport.TierMovement::to))
                .toList();
        return new MembersReport(period.from(), period.to(), timeZone.getId(), repurchaseDays, segment == null ? null : segment.segmentId(),
                segment == null ? null : segment.takenAt(), recordedUntil, months,
                tierMembers, movements);
    }

    /** One month's figures; the cohort's are left out (null) unless {@code withCohort}: a segment cannot narrow them. */
    private static MembersReport.Month month(YearMonth month, Map<String, Long> enrolled, ReportRepository.ActiveMonth active,
            boolean withCohort, ReportRepository.CohortPurchases cohort, ReportRepository.BenefitMonth benefit, long[] moves) {
        long online = enrolled.getOrDefault("ONLINE", 0L);
        long offline = enrolled.getOrDefault("OFFLINE", 0L);
        long bulk = enrolled.getOrDefault("BULK", 0L);
        long members = online + offline + bulk;
        long activeMembers = active == null ? 0 : active.active();
        long settled = active == null ? 0 : active.settled();
        long cameBack = active == null ? 0 : active.cameBack();
        Long purchases = !withCohort ? null : cohort == null ? 0L : cohort.purchases();
        Long amount = !withCohort ? null : cohort == null ? 0L : cohort.amount();
        long couponsIssued = benefit == null ? 0 : benefit.couponsIssued();
        long couponsRedeemed = benefit == null ? 0 : benefit.couponsRedeemed();
        long claims = benefit == null ? 0 : benefit.claims();
        long fulfilled = benefit == null ? 0 : benefit.fulfilled();
        long cancelled = benefit == null ? 0 : benefit.cancelled();
        return new MembersReport.Month(month.toString(), members, online, offline, bulk, activeMembers, settled, cameBack,
                share(cameBack, settled), moves[0], moves[1], purchases, amount,
                members == 0 || amount == null ? null : Math.round((double) amount / members),
                couponsIssued, couponsRedeemed, share(couponsRedeemed, couponsIssued), claims, fulfilled, cancelled,
                share(fulfilled, claims - cancelled));
    }

    private static boolean upwards(ReportRepository.TierMove move) {
        return Tier.valueOf(move.to()).compareTo(Tier.valueOf(move.from())) > 0;
    }

    private static <T> Map<YearMonth, T> byMonth(List<T> rows, Function<T, LocalDate> month) {
        Map<YearMonth, T> byMonth = new HashMap<>();
        rows.forEach(row -> byMonth.put(YearMonth.from(month.apply(row)), row));
        return byMonth;
    }

    /** part / whole, 4 decimals; null when whole is 0. */
    private static Double share(long part, long whole) {
        return whole <= 0 ? null : Math.round(part * 10_000.0 / whole) / 10_000.0;
    }
}
