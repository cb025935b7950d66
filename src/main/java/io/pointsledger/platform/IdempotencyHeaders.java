package io.pointsledger.platform;

/** Header names of the idempotency contract. */
public final class IdempotencyHeaders {

    public static final String KEY = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";

    private IdempotencyHeaders() {
    }
}
