package io.pointsledger.purchases;

/**
 * What counts as a member's purchase, for every measure taken from purchase history (churn risk,
 * RFM segments): one definition, so that two reports never disagree on who bought what.
 */
public final class MemberPurchases {

    private MemberPurchases() {
    }

    /**
     * A member's purchases before {@code bound} (a parameter such as {@code $2}) as rows of
     * {@code occurred_at} and {@code amount}, for the member in {@code m.member_id}: earns for an
     * amount (a bonus-only earn, a sign-up or birthday gift, is no purchase), and purchases from
     * before the program that no earn posted (an import that posted points names the earn, which
     * is counted once, as the earn).
     */
    public static String before(String bound) {
        return """
                SELECT t.occurred_at, t.amount_minor_units AS amount FROM transfers t
                 WHERE t.member_id = m.member_id AND t.kind = 'EARN' AND t.amount_minor_units > 0 AND t.occurred_at < %1$s
                UNION ALL
                SELECT h.occurred_at, h.amount_minor_units FROM purchase_history h
                 WHERE h.member_id = m.member_id AND h.transfer_id IS NULL AND NOT h.posting_pending AND h.occurred_at < %1$s"""
                .formatted(bound);
    }
}
