package io.pointsledger.webhooks;

/** Where a delivery is: still tried, taken (a 2xx answer), or given up after its retry window. */
public enum WebhookDeliveryStatus {
    PENDING,
    DELIVERED,
    DEAD
}
