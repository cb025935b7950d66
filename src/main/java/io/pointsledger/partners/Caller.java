package io.pointsledger.partners;

import java.util.Set;

/**
 * Who is calling: the partner every transfer records, idempotency keys are scoped to and rate
 * limits apply to. {@code rateLimitPerSecond} is null for the program operator's bootstrap key.
 */
public record Caller(String partnerId, Set<Scope> scopes, Integer rateLimitPerSecond) {

    /** The program operator, authenticated by the bootstrap admin key from configuration. */
    public static final String OPERATOR_ID = "operator";
    public static final Caller OPERATOR = new Caller(OPERATOR_ID, Set.of(Scope.ADMIN), null);

    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }

    /** An administrator sees every partner's transfers; a partner sees its own. */
    public boolean seesAllPartners() {
        return scopes.contains(Scope.ADMIN);
    }
}
