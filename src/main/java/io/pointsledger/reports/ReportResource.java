package io.pointsledger.reports;

import io.pointsledger.partners.RequiresScope;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.EnumParameter;
import io.pointsledger.platform.IdParameter;
import io.pointsledger.platform.OpenApiContract;
import io.pointsledger.platform.PrintableText;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestQuery;

/** The program's reports, as JSON or, with {@code Accept: text/csv}, as a CSV download of their main table. */
@Path("/v1/admin/reports")
@Produces({MediaType.APPLICATION_JSON, CsvReportWriter.TEXT_CSV})
public class ReportResource {

    private static final String EARN_BURN_CSV = "day,issued,bonus,redeemed,rewardsClaimed,reversed,expired,donated,adjusted,migrated,"
            + "held,released,net,earns,purchaseAmountMinorUnits\r\n2026-11-29,125000,8000,40000,5000,-1200,3000,500,0,0,9000,1000,83300,"
            + "1040,12500000\r\ntotal,125000,8000,40000,5000,-1200,3000,500,0,0,9000,1000,83300,1040,12500000\r\n";
    private static final String LIABILITY_CSV = "section,key,members,points,heldPoints,valueMinorUnits\r\ntotal,all,1000000,52000000,"
            + "120000,52000000\r\ntier,BASIC,900000,30000000,100000,30000000\r\npartnerOfIssue,store-gangnam,,20000000,,20000000\r\n"
            + "expiringWithinDays,30,,1200000,,1200000\r\n";
    private static final String BREAKAGE_CSV = "month,issued,redeemed,expired,reversed,adjusted,outstanding,breakageRate,redeemedShare\r\n"
            + "2025-12,1000000,610000,180000,10000,0,200000,0.18,0.61\r\n";

    private static final String SALES_CSV = "key,category,count,quantity,amountMinorUnits,previousAmountMinorUnits,change\r\n"
            + "SKU-1042,shoes,310,320,24000000,20000000,0.2\r\ntotal,,5200,,98000000,91000000,0.0769\r\n";

    private static final String MEMBERS_CSV = "month,enrolled,enrolledOnline,enrolledOffline,enrolledBulk,activeMembers,repurchaseSettled,"
            + "repurchased,repurchaseRate,upgrades,downgrades,cohortPurchases,cohortAmountMinorUnits,averageLifetimeValueMinorUnits,"
            + "couponsIssued,couponsRedeemed,couponUseRate,rewardClaims,rewardsFulfilled,rewardsCancelled,rewardFulfilmentRate\r\n"
            + "2026-10,1200,700,450,50,52000,52000,20800,0.4,310,40,2900,145000000,120833,5000,1750,0.35,800,700,20,0.875\r\n";

    /** The longest partner id or channel a filter names: longer ones name nothing there is. */
    private static final int FILTER_LENGTH_MAX = 64;

    private final ReportService reports;

    ReportResource(ReportService reports) {
        this.reports = reports;
    }

    @GET
    @Path("/earn-burn")
    @Operation(operationId = "findEarnBurnReport", summary = "Points issued, redeemed, reversed, expired, donated per day, and bonuses per campaign",
            description = "Scope: reports. Days [from, to) in the program's time zone, by the day each transfer was recorded "
                    + "(366 at most; left out: the 30 days up to today). At one partner, through one channel, of members of one tier (the "
                    + "tier they had when each transfer was recorded), when asked.")
    @APIResponse(responseCode = "200", description = "The report", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EarnBurnReport.class)),
            @Content(mediaType = CsvReportWriter.TEXT_CSV, schema = @Schema(type = SchemaType.STRING,
                    description = "One row per day, then one of totals", example = EARN_BURN_CSV))})
    @RequiresScope(Scope.REPORTS)
    public Uni<EarnBurnReport> earnBurn(
            @Parameter(description = "First day, YYYY-MM-DD", schema = @Schema(type = SchemaType.STRING, format = "date")) @RestQuery String from,
            @Parameter(description = "Day after the last, YYYY-MM-DD", schema = @Schema(type = SchemaType.STRING, format = "date"))
            @RestQuery String to,
            @Parameter(description = "Only this partner's transfers") @RestQuery String partnerId,
            @Parameter(description = "Only transfers through this channel (POS, ONLINE, PARTNER…)") @RestQuery String channel,
            @Parameter(description = "Only transfers of members of this tier when they were recorded",
                    schema = @Schema(implementation = Tier.class)) @RestQuery String tier,
            @Parameter(hidden = true) @RestQuery String segmentId) {
        refuse("segmentId", segmentId, "a segment cannot narrow earn-burn: its rollups are not kept per member");
        return reports.earnBurn(from, to, filter("partnerId", partnerId), filter("channel", channel),
                EnumParameter.parse("tier", tier, Tier.class));
    }

    @GET
    @Path("/liability")
    @Operation(operationId = "findLiabilityReport", summary = "The points owed to members now, and their value",
            description = "Scope: reports. Outstanding and held points and their value at the program's point value, by tier, by the "
                    + "partner that issued them, and expiring within 30, 60 and 90 days. tier and segmentId narrow all but "
                    + "byPartnerOfIssue.")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SEGMENT_NOT_FOUND")
    @APIResponse(responseCode = "200", description = "The report", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LiabilityReport.class)),
            @Content(mediaType = CsvReportWriter.TEXT_CSV, schema = @Schema(type = SchemaType.STRING,
                    description = "The totals, then a row per tier, partner of issue and horizon", example = LIABILITY_CSV))})
    @RequiresScope(Scope.REPORTS)
    public Uni<LiabilityReport> liability(
            @Parameter(description = "Only members of this tier", schema = @Schema(implementation = Tier.class)) @RestQuery String tier,
            @Parameter(description = "Only members this segment admits now", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @RestQuery String segmentId) {
        return reports.liability(EnumParameter.parse("tier", tier, Tier.class), IdParameter.parse("segmentId", segmentId));
    }

    @GET
    @Path("/breakage")
    @Operation(operationId = "findBreakageReport", summary = "Per month of issue: points expired, redeemed and outstanding",
            description = "Scope: reports. The cohorts of the months from the month of from up to to (366 days at most; left out: "
                    + "the months of the 30 days up to today), each as it stands now. Of the points one partner issued, through one "
                    + "channel, when asked.")
    @APIResponse(responseCode = "200", description = "The report", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BreakageReport.class)),
            @Content(mediaType = CsvReportWriter.TEXT_CSV, schema = @Schema(type = SchemaType.STRING,
                    description = "One row per cohort", example = BREAKAGE_CSV))})
    @RequiresScope(Scope.REPORTS)
    public Uni<BreakageReport> breakage(
            @Parameter(description = "A day of the first cohort's month", schema = @Schema(type = SchemaType.STRING, format = "date"))
            @RestQuery String from,
            @Parameter(description = "Cohorts of months beginning before this day", schema = @Schema(type = SchemaType.STRING, format = "date"))
            @RestQuery String to,
            @Parameter(description = "Only points this partner issued") @RestQuery String partnerId,
            @Parameter(description = "Only points issued through this channel") @RestQuery String channel,
            @Parameter(hidden = true) @RestQuery String tier, @Parameter(hidden = true) @RestQuery String segmentId) {
        refuse("tier", tier, "a tier cannot narrow breakage: its rollups are kept per partner and channel of issue");
        refuse("segmentId", segmentId, "a segment cannot narrow breakage: its rollups are not kept per member");
        return reports.breakage(from, to, filter("partnerId", partnerId), filter("channel", channel));
    }

    @GET
    @Path("/sales")
    @Operation(operationId = "findSalesReport", summary = "Sales by product, category, customer, month, quarter or hour of the week",
            description = "Scope: reports. Purchases (earns for an amount) and their line items recorded in [from, to) (366 days at "
                    + "most, 31 for customers; left out: the 30 days up to today), at one partner, through one channel, to members of "
                    + "one tier (when they bought), each when asked (not for customers), each "
                    + "row next to the period of the same length just before (months and quarters: a year before). Products, "
                    + "categories and customers: the limit most sold (50; 500 at most). Customers (and their totals) of one segment "
                    + "when asked.")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SEGMENT_NOT_FOUND")
    @APIResponse(responseCode = "200", description = "The report", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SalesReport.class)),
            @Content(mediaType = CsvReportWriter.TEXT_CSV, schema = @Schema(type = SchemaType.STRING,
                    description = "One row per product, category, customer, month, quarter or hour, then the totals", example = SALES_CSV))})
    @RequiresScope(Scope.REPORTS)
    public Uni<SalesReport> sales(
            @Parameter(description = "First day, YYYY-MM-DD", schema = @Schema(type = SchemaType.STRING, format = "date")) @RestQuery String from,
            @Parameter(description = "Day after the last, YYYY-MM-DD", schema = @Schema(type = SchemaType.STRING, format = "date"))
            @RestQuery String to,
            @Parameter(description = "What each row is (PRODUCT when left out)", schema = @Schema(implementation = SalesBreakdown.class))
            @RestQuery String by,
            @Parameter(description = "Only this partner's sales (not with customers)") @RestQuery String partnerId,
            @Parameter(description = "Only sales through this channel (not with customers)") @RestQuery String channel,
            @Parameter(description = "Only sales to members of this tier when they bought (not with customers)",
                    schema = @Schema(implementation = Tier.class)) @RestQuery String tier,
            @Parameter(description = "Products, categories or customers listed", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + ReportsConfig.SALES_ROWS_MAX, defaultValue = "" + ReportsConfig.SALES_ROWS_DEFAULT)) @RestQuery String limit,
            @Parameter(description = "Customers only: the members this segment admits now", schema = @Schema(type = SchemaType.STRING,
                    format = "uuid")) @RestQuery String segmentId) {
        Tier ofTier = EnumParameter.parse("tier", tier, Tier.class);
        SalesFilter narrowed = new SalesFilter(filter("partnerId", partnerId), filter("channel", channel), ofTier == null ? null : ofTier.name());
        return reports.sales(from, to, narrowed, EnumParameter.parse("by", by, SalesBreakdown.class), limit,
                IdParameter.parse("segmentId", segmentId));
    }

    @GET
    @Path("/members")
    @Operation(operationId = "findMembersReport", summary = "Per month: enrolments by channel, active members, repurchases, tier "
            + "changes, lifetime value of the month's enrolments, and use of coupons and rewards",
            description = "Scope: reports. The months from the month of from up to to (366 days at most; left out: the months of the 30 "
                    + "days up to today), in the program's time zone; the tiers as they stand now. Purchases (earns for an "
                    + "amount) are counted from the rollups, up to recordedUntil (about 2 minutes ago). Of one segment's members "
                    + "when asked.")
    @Extension(name = OpenApiContract.ERROR_CODES, value = "SEGMENT_NOT_FOUND")
    @APIResponse(responseCode = "200", description = "The report", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MembersReport.class)),
            @Content(mediaType = CsvReportWriter.TEXT_CSV, schema = @Schema(type = SchemaType.STRING,
                    description = "One row per month", example = MEMBERS_CSV))})
    @RequiresScope(Scope.REPORTS)
    public Uni<MembersReport> members(
            @Parameter(description = "A day of the first month", schema = @Schema(type = SchemaType.STRING, format = "date"))
            @RestQuery String from,
            @Parameter(description = "Months beginning before this day", schema = @Schema(type = SchemaType.STRING, format = "date"))
            @RestQuery String to,
            @Parameter(description = "A member came back when they bought again within these days of their first purchase of a month",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "" + ReportsConfig.REPURCHASE_DAYS_MAX,
                            defaultValue = "" + ReportsConfig.REPURCHASE_DAYS_DEFAULT)) @RestQuery String repurchaseDays,
            @Parameter(description = "Only members this segment admits now (the lifetime value is then left out)",
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) @RestQuery String segmentId) {
        return reports.members(from, to, repurchaseDays, IdParameter.parse("segmentId", segmentId));
    }

    /**
     * Refuses a filter a sibling report takes but this one cannot apply: answering the whole
     * program to a caller who asked for less would look like an answer to what they asked.
     */
    private static void refuse(String name, String value, String why) {
        if (value != null) {
            throw ProblemException.invalid(name, why);
        }
    }

    private static String filter(String name, String value) {
        return PrintableText.filter(name, value, FILTER_LENGTH_MAX);
    }
}
