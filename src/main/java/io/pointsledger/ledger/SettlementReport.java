package io.pointsledger.ledger;

import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Points each partner moved over {@code [from, to)}, from the ledger. */
@Schema(description = "Points each partner moved over [from, to), from the ledger.", example = """
        {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z",
         "partners": [{"partnerId": "operator", "name": "Program operator", "pointsIssued": 12500,
                       "campaignBonuses": 500, "pointsRedeemed": 3000, "reversals": -125, "pointsMigrated": 0, "net": 9875,
                       "transfers": 42}]}""")
public record SettlementReport(OffsetDateTime from, OffsetDateTime to, List<PartnerSettlement> partners) {

    /**
     * {@code pointsIssued}: what the partner's purchases earned by the program's rule;
     * {@code campaignBonuses}: what campaigns added to them, which the program funds. {@code net} is
     * the partner's total effect on posted balances, bonuses, reversals and adjustments included.
     * {@code pointsMigrated}: opening balances brought from the system the program replaced (the
     * operator's), a liability the program took over rather than points it issued.
     */
    public record PartnerSettlement(String partnerId, String name, long pointsIssued, long campaignBonuses,
            long pointsRedeemed, long reversals, long pointsMigrated, long net, long transfers) {
    }
}
