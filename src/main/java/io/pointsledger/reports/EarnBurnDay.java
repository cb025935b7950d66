package io.pointsledger.reports;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One day's points in and out (the totals of a period: day null). {@code net} is every change to
 * posted points: issued + bonus - redeemed - rewardsClaimed + reversed - expired - donated +
 * adjusted + migrated.
 */
@Schema(example = """
        {"day": "2026-11-29", "issued": 125000, "bonus": 8000, "redeemed": 40000, "rewardsClaimed": 5000, "reversed": -1200,
         "expired": 3000, "donated": 500, "adjusted": 0, "migrated": 0, "held": 9000, "released": 1000, "net": 83300,
         "earns": 1040, "purchaseAmountMinorUnits": 12500000}""")
public record EarnBurnDay(
        @Schema(nullable = true, description = "The day in the program's time zone; null for a period's totals") LocalDate day,
        @Schema(description = "Points of earns by the program's rule") long issued,
        @Schema(description = "Points campaigns added to earns") long bonus,
        @Schema(description = "Points redeemed and holds captured") long redeemed,
        @Schema(description = "Points of reward claims, less cancelled claims") long rewardsClaimed,
        @Schema(description = "Posted points reversals changed: negative for returned purchases, positive for refunded redemptions")
        long reversed,
        long expired,
        long donated,
        @Schema(description = "Posted points adjustments changed, signed") long adjusted,
        @Schema(description = "Opening balances taken over from a system replaced") long migrated,
        @Schema(description = "Points put on hold") long held,
        @Schema(description = "Held points released unspent: voided and expired holds, and what captures left of theirs") long released,
        long net,
        @Schema(description = "Earn transfers") long earns,
        @Schema(description = "The earns' purchase amounts, in minor units of the program currency") long purchaseAmountMinorUnits) {

    static final List<String> CSV_HEADER = List.of("day", "issued", "bonus", "redeemed", "rewardsClaimed", "reversed", "expired",
            "donated", "adjusted", "migrated", "held", "released", "net", "earns", "purchaseAmountMinorUnits");

    /** The day's figures from its transfers of each kind. */
    static EarnBurnDay of(LocalDate day, List<ReportRepository.TransferDay> rows) {
        long[] sums = new long[Figure.values().length];
        for (ReportRepository.TransferDay row : rows) {
            switch (row.kind()) {
                case "EARN" -> {
                    sums[Figure.ISSUED.ordinal()] += row.points() - row.bonusPoints();
                    sums[Figure.BONUS.ordinal()] += row.bonusPoints();
                    sums[Figure.EARNS.ordinal()] += row.transfers();
                    sums[Figure.AMOUNT.ordinal()] += row.amountMinorUnits();
                }
                case "REDEEM" -> sums[Figure.REDEEMED.ordinal()] += row.points();
                case "CAPTURE" -> {
                    // A capture spends its points and releases the rest of its hold.
                    sums[Figure.REDEEMED.ordinal()] += row.points();
                    sums[Figure.RELEASED.ordinal()] += -row.heldDelta() - row.points();
                }
                case "REWARD_CLAIM" -> sums[Figure.REWARDS_CLAIMED.ordinal()] += row.points();
                case "REWARD_CANCELLATION" -> sums[Figure.REWARDS_CLAIMED.ordinal()] -= row.points();
                case "REVERSAL" -> sums[Figure.REVERSED.ordinal()] += row.postedDelta();
                case "EXPIRY" -> sums[Figure.EXPIRED.ordinal()] += row.points();
                case "DONATION" -> sums[Figure.DONATED.ordinal()] += row.points();
                case "ADJUSTMENT" -> sums[Figure.ADJUSTED.ordinal()] += row.postedDelta();
                case "MIGRATION" -> sums[Figure.MIGRATED.ordinal()] += row.points();
                case "HOLD" -> sums[Figure.HELD.ordinal()] += row.points();
                case "VOID", "HOLD_EXPIRED" -> sums[Figure.RELEASED.ordinal()] -= row.heldDelta();
                default -> {
                    // A kind added later shows in net alone until it is given a column.
                }
            }
            sums[Figure.NET.ordinal()] += row.postedDelta();
        }
        return new EarnBurnDay(day, sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7], sums[8], sums[9], sums[10],
                sums[11], sums[12], sums[13]);
    }

    /** The figures in the order of the record's components after the day. */
    private enum Figure {
        ISSUED, BONUS, REDEEMED, REWARDS_CLAIMED, REVERSED, EXPIRED, DONATED, ADJUSTED, MIGRATED, HELD, RELEASED, NET, EARNS, AMOUNT
    }

    /** The sum of {@code days}, as a day of its own with no date. */
    static EarnBurnDay total(List<EarnBurnDay> days) {
        long[] sums = new long[Figure.values().length];
        for (EarnBurnDay day : days) {
            long[] figures = day.figures();
            Arrays.setAll(sums, index -> sums[index] + figures[index]);
        }
        return new EarnBurnDay(null, sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7], sums[8], sums[9], sums[10],
                sums[11], sums[12], sums[13]);
    }

    private long[] figures() {
        return new long[] {issued, bonus, redeemed, rewardsClaimed, reversed, expired, donated, adjusted, migrated, held, released, net,
                earns, purchaseAmountMinorUnits};
    }

    List<Object> csvRow() {
        List<Object> row = new ArrayList<>();
        row.add(day == null ? "total" : day.toString());
        for (long figure : figures()) {
            row.add(figure);
        }
        return row;
    }
}
