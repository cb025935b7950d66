package io.pointsledger.ledger;

import java.time.OffsetDateTime;
import java.util.List;

/** Points each partner moved over {@code [from, to)}, from the ledger. */
public record SettlementReport(OffsetDateTime from, OffsetDateTime to, List<PartnerSettlement> partners) {

    /** {@code net} is the partner's total effect on posted balances, reversals and adjustments included. */
    public record PartnerSettlement(String partnerId, String name, long pointsIssued, long pointsRedeemed,
            long reversals, long net, long transfers) {
    }
}
