package io.pointsledger.reports;

import io.pointsledger.program.PointValues;
import io.pointsledger.program.ProgramConfig;
import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The program's reports. A report over days reads the daily rollups for the days rolled up and
 * the transfers themselves for the days after (today, normally), so it is current to the last
 * commit and costs the same whatever the history's size.
 */
@ApplicationScoped
public class ReportService {

    /** The horizons of the liability's expiring points, in days. */
    static final int[] EXPIRING_HORIZON_DAYS = {30, 60, 90};

    /** Lot flows that spend points: redemptions, captures, claims and their cancellations, donations, and refunds of them. */
    private static final Set<String> SPENDING = Set.of("REDEEM", "CAPTURE", "REWARD_CLAIM", "REWARD_CANCELLATION", "DONATION", "REFUND");

    private final ReportRepository repository;
    private final ReportsConfig config;
    private final ProgramConfig program;
    private final ZoneId timeZone;

    ReportService(ReportRepository repository, ReportsConfig config, ProgramConfig program) {
        this.repository = repository;
        this.config = config;
        this.program = program;
        this.timeZone = program.timeZone();
    }

    /** Points in and out per day. Fails with VALIDATION_FAILED for a bad period. */
    public Uni<EarnBurnReport> earnBurn(String fromText, String toText, String partnerId, String channel) {
        return repository.now().flatMap(now -> {
            ReportPeriod period = period(fromText, toText, now);
            Predicate<String> partner = wanted(partnerId);
            Predicate<String> through = wanted(channel);
            return repository.lastRolledUp().flatMap(rolled -> {
                LocalDate liveFrom = liveFrom(period.from(), rolled);
                LocalDate rolledTo = liveFrom.isBefore(period.to()) ? liveFrom : period.to();
                Uni<List<ReportRepository.TransferDay>> rolledDays = liveFrom.isAfter(period.from())
                        ? repository.rolledTransferDays(period.from(), rolledTo) : Uni.createFrom().item(List.of());
                Uni<List<ReportRepository.TransferDay>> liveDays = liveFrom.isBefore(period.to())
                        ? repository.liveTransferDays(startOf(liveFrom), startOf(period.to()), timeZone.getId()) : Uni.createFrom().item(List.of());
                Uni<List<ReportRepository.BonusDay>> rolledBonuses = liveFrom.isAfter(period.from())
                        ? repository.rolledBonusDays(period.from(), rolledTo) : Uni.createFrom().item(List.of());
                Uni<List<ReportRepository.BonusDay>> liveBonuses = liveFrom.isBefore(period.to())
                        ? repository.liveBonusDays(startOf(liveFrom), startOf(period.to()), timeZone.getId()) : Uni.createFrom().item(List.of());
                return Uni.combine().all().unis(rolledDays, liveDays, rolledBonuses, liveBonuses).asTuple().flatMap(read -> {
                    Map<LocalDate, List<ReportRepository.TransferDay>> byDay = new HashMap<>();
                    concat(read.getItem1(), read.getItem2()).stream()
                            .filter(row -> partner.test(row.partnerId()) && through.test(row.channel()))
                            .forEach(row -> byDay.computeIfAbsent(row.day(), day -> new ArrayList<>()).add(row));
                    List<EarnBurnDay> days = period.from().datesUntil(period.to())
                            .map(day -> EarnBurnDay.of(day, byDay.getOrDefault(day, List.of()))).toList();
                    List<ReportRepository.BonusDay> bonuses = concat(read.getItem3(), read.getItem4()).stream()
                            .filter(row -> partner.test(row.partnerId()) && through.test(row.channel())).toList();
                    return campaigns(bonuses).map(campaigns -> new EarnBurnReport(period.from(), period.to(), timeZone.getId(), partnerId,
                            channel, rolled.orElse(null), days, EarnBurnDay.total(days), campaigns));
                });
            });
        });
    }

    /** The points owed now, narrowed to a tier when asked. Fails with VALIDATION_FAILED for an unknown tier. */
    public Uni<LiabilityReport> liability(Tier tier) {
        String tierName = tier == null ? null : tier.name();
        return repository.now().flatMap(now -> {
            Uni<List<ReportRepository.TierAccounts>> tiers = repository.accountsByTier(tierName);
            Uni<ReportRepository.Expiring> expiring = repository.expiring(now.plusDays(EXPIRING_HORIZON_DAYS[0]),
                    now.plusDays(EXPIRING_HORIZON_DAYS[1]), now.plusDays(EXPIRING_HORIZON_DAYS[2]), tierName);
            Uni<List<ReportRepository.LotFlow>> flows = lotFlowsThroughNow(now);
            return Uni.combine().all().unis(tiers, expiring, flows).asTuple()
                    .map(read -> liabilityOf(now, tierName, read.getItem1(), read.getItem2(), read.getItem3()));
        });
    }

    /** What became of each month's issued points. Fails with VALIDATION_FAILED for a bad period. */
    public Uni<BreakageReport> breakage(String fromText, String toText, String partnerId) {
        return repository.now().flatMap(now -> {
            ReportPeriod period = period(fromText, toText, now);
            Predicate<String> partner = wanted(partnerId);
            YearMonth first = YearMonth.from(period.from());
            return repository.lastRolledUp().flatMap(rolled -> lotFlowsThroughNow(now).map(flows -> {
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
                return new BreakageReport(period.from(), period.to(), timeZone.getId(), partnerId, rolled.orElse(null), cohorts);
            }));
        });
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

    /** Every lot flow there has been, per partner, cohort and flow: the rolled-up days and the transfers since. */
    private Uni<List<ReportRepository.LotFlow>> lotFlowsThroughNow(OffsetDateTime now) {
        return repository.lastRolledUp().flatMap(rolled -> {
            Uni<List<ReportRepository.LotFlow>> rolledFlows = rolled.isPresent() ? repository.rolledLotFlows(rolled.get())
                    : Uni.createFrom().item(List.of());
            OffsetDateTime liveFrom = rolled.map(day -> startOf(day.plusDays(1))).orElse(OffsetDateTime.parse("1970-01-01T00:00:00Z"));
            Uni<List<ReportRepository.LotFlow>> liveFlows = repository.liveLotFlows(liveFrom, now.plusSeconds(1), timeZone.getId());
            return Uni.combine().all().unis(rolledFlows, liveFlows).asTuple().map(read -> concat(read.getItem1(), read.getItem2()));
        });
    }

    private LiabilityReport liabilityOf(OffsetDateTime now, String tier, List<ReportRepository.TierAccounts> tiers,
            ReportRepository.Expiring expiring, List<ReportRepository.LotFlow> flows) {
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
        return new LiabilityReport(now, tier, program.currency(), perThousand, outstanding, held, outstanding - held, owed,
                PointValues.value(outstanding, perThousand), tiers.stream().mapToLong(ReportRepository.TierAccounts::members).sum(),
                tiers.stream().mapToLong(ReportRepository.TierAccounts::membersWithPoints).sum(), byTier, partners, soon);
    }

    private Uni<List<CampaignBonus>> campaigns(List<ReportRepository.BonusDay> bonuses) {
        Map<UUID, long[]> byCampaign = new HashMap<>();
        bonuses.forEach(bonus -> {
            long[] sums = byCampaign.computeIfAbsent(bonus.campaignId(), id -> new long[2]);
            sums[0] += bonus.grants();
            sums[1] += bonus.points();
        });
        if (byCampaign.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return repository.campaignNames(byCampaign.keySet().toArray(UUID[]::new)).map(rows -> {
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

    /** The first day of the period read from the transfers: the day after the last one rolled up, or the period's first. */
    private static LocalDate liveFrom(LocalDate from, Optional<LocalDate> rolled) {
        return rolled.map(day -> day.plusDays(1)).filter(day -> day.isAfter(from)).orElse(from);
    }

    private OffsetDateTime startOf(LocalDate day) {
        return day.atStartOfDay(timeZone).toOffsetDateTime();
    }

    private static Predicate<String> wanted(String value) {
        return value == null ? any -> true : value::equals;
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first.size() + second.size());
        all.addAll(first);
        all.addAll(second);
        return all;
    }
}
