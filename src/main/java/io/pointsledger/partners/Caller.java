package io.pointsledger.partners;

/**
 * Who is calling: the partner every transfer records and idempotency keys are scoped to. Until
 * partner credentials exist, every request comes from the program operator's own channels.
 */
public record Caller(String partnerId) {

    public static final Caller OPERATOR = new Caller("operator");
}
