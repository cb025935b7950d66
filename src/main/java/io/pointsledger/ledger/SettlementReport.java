package io.pointsledger.ledger;

import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Points each partner moved over {@code [from, to)}, from the ledger. */
@Schema(description = "Points each partner moved over [from, to), from the ledger.", example = """
        {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z",
         "partners": [{"partnerId": "operator", "name": "Program operator", "pointsIssued": 12500,
                       "campaignBonuses": 500, "pointsRedeemed": 3000, "reversals": -125, "pointsMigrated": 0, "rewardsClaimed": 1200,
                       "pointsDonated": 500, "net": 8175,
                       "transfers": 42}]}""")
public record SettlementReport(OffsetDateTime from, OffsetDateTime to, List<PartnerSettlement> partners) {

    /**
     * {@code pointsIssued}: what the partner's purchases earned by the program's rule;
     * {@code campaignBonuses}: what campaigns added to them, which the program funds. {@code net} is
     * the partner's total effect on posted balances, bonuses, reversals and adjustments included.
     * {@code pointsMigrated}: opening balances brought from the system the program replaced (the
     * operator's), a liability the program took over rather than points it issued.
     * {@code rewardsClaimed}: points spent on rewards, less those cancelled claims gave back;
     * {@code pointsDonated}: points members gave to causes (the program's matches are not members'
     * points: see the causes' statements).
     */
    public record PartnerSettlement(String partnerId, String name, long pointsIssued, long campaignBonuses,
            long pointsRedeemed, long reversals, long pointsMigrated, long rewardsClaimed, long pointsDonated, long net,
            long transfers) {
    }
}
