package io.pointsledger.reports;

/**
 * What a sales report is broken down by: products (SKU) or their categories; the best customers;
 * months, quarters, or the hours of the week (weekday and hour of the day, together).
 */
public enum SalesBreakdown {
    PRODUCT,
    CATEGORY,
    CUSTOMER,
    MONTH,
    QUARTER,
    WEEKDAY_HOUR
}
