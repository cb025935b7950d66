package io.pointsledger.reports;

/**
 * What a sales report is narrowed to, each when given: the partner that sold, the channel it sold
 * through, and the member's tier when they bought.
 */
record SalesFilter(String partnerId, String channel, String tier) {

    /** Whether the report is narrowed by channel or tier, which only rows per channel and tier can answer. */
    boolean byChannelOrTier() {
        return channel != null || tier != null;
    }
}
