package io.pointsledger.campaigns;

import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The report of a campaign run as an A/B test, from its exposures and the exposed members' transfers since. */
@ApplicationScoped
public class ExperimentReports {

    /**
     * Per variant: members exposed, their spend after exposure (the earns' amounts, the exposing
     * purchase included: it is counted alike in every variant; gross: a purchase returned later
     * still counts), its sample variance, how many spent points after exposure (a redeem or a
     * checkout's capture), and the bonus points the campaign granted them.
     */
    private static final String VARIANTS = """
            WITH per_member AS (
                SELECT e.variant, e.member_id, e.bonus_points,
                       COALESCE(sum(t.amount_minor_units) FILTER (WHERE t.kind = 'EARN'), 0) AS spend,
                       COALESCE(bool_or(t.kind IN ('REDEEM', 'CAPTURE')), false) AS redeemed
                  FROM campaign_exposures e
                  LEFT JOIN transfers t ON t.member_id = e.member_id AND t.recorded_at >= e.exposed_at
                                       AND t.recorded_at <= $2
                 WHERE e.campaign_id = $1 AND e.exposed_at <= $2
                 GROUP BY e.variant, e.member_id, e.bonus_points
            )
            SELECT variant, count(*) AS members, avg(spend)::float8 AS spend_mean,
                   COALESCE(var_samp(spend), 0)::float8 AS spend_variance,
                   count(*) FILTER (WHERE redeemed) AS redeemers, sum(bonus_points)::float8 AS bonus_points
              FROM per_member GROUP BY variant""";

    private final CampaignService campaigns;
    private final Pool pool;
    private final Clock clock;

    ExperimentReports(CampaignService campaigns, Pool pool, Clock clock) {
        this.campaigns = campaigns;
        this.pool = pool;
        this.clock = clock;
    }

    /** As of now. Fails with CAMPAIGN_NOT_FOUND, or EXPERIMENT_NOT_FOUND for a campaign without variants. */
    public Uni<ExperimentReport> report(UUID campaignId) {
        OffsetDateTime asOf = OffsetDateTime.now(clock);
        return campaigns.find(campaignId).chain(campaign -> {
            if (!campaign.definition().hasVariants()) {
                return Uni.createFrom().failure(new ProblemException(ErrorCode.EXPERIMENT_NOT_FOUND,
                        "Campaign " + campaignId + " has no variants: it is not an A/B test"));
            }
            return pool.preparedQuery(VARIANTS).execute(Tuple.of(campaignId, asOf)).map(rows -> {
                Map<String, Row> byVariant = new HashMap<>();
                rows.forEach(row -> byVariant.put(row.getString("variant"), row));
                return report(campaign, asOf, byVariant);
            });
        });
    }

    private static ExperimentReport report(Campaign campaign, OffsetDateTime asOf, Map<String, Row> byVariant) {
        List<CampaignVariant> variants = campaign.definition().variants();
        CampaignVariant control = variants.stream().filter(CampaignVariant::isControl).findFirst().orElseThrow();
        Measured controlMeasured = Measured.of(byVariant.get(control.name()));
        List<ExperimentReport.VariantResult> results = new ArrayList<>();
        for (CampaignVariant variant : variants) {
            Measured measured = Measured.of(byVariant.get(variant.name()));
            boolean isControl = variant.isControl();
            results.add(new ExperimentReport.VariantResult(variant.name(), isControl, measured.members(),
                    measured.redemption().mean(), measured.spend().mean(), measured.bonusPerMember(),
                    measured.bonusPerMember() - controlMeasured.bonusPerMember(),
                    isControl ? null : ExperimentStatistics.uplift(measured.spend(), controlMeasured.spend()),
                    isControl ? null : ExperimentStatistics.uplift(measured.redemption(), controlMeasured.redemption())));
        }
        return new ExperimentReport(campaign.campaignId(), campaign.definition().name(), control.name(), asOf,
                ExperimentStatistics.METHOD, results);
    }

    /** One variant's measures; a variant nobody was exposed to yet has none. */
    private record Measured(long members, ExperimentStatistics.Group spend, ExperimentStatistics.Group redemption,
            double bonusPerMember) {

        static Measured of(Row row) {
            if (row == null) {
                return new Measured(0, new ExperimentStatistics.Group(0, 0, 0), ExperimentStatistics.rate(0, 0), 0);
            }
            long members = row.getLong("members");
            return new Measured(members,
                    new ExperimentStatistics.Group(members, row.getDouble("spend_mean"), row.getDouble("spend_variance")),
                    ExperimentStatistics.rate(members, row.getLong("redeemers")), row.getDouble("bonus_points") / members);
        }
    }
}
