package io.pointsledger.partners;

import io.pointsledger.audit.AuditActor;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling: the partner every transfer records, idempotency keys are scoped to and rate
 * limits apply to, and the key it presented. {@code rateLimitPerSecond} and {@code apiKeyId} are null
 * for the program operator's bootstrap key, which is configuration, not a stored key.
 */
public record Caller(String partnerId, Set<Scope> scopes, Integer rateLimitPerSecond, UUID apiKeyId) {

    /** The program operator, authenticated by the bootstrap admin key from configuration. */
    public static final String OPERATOR_ID = "operator";
    public static final Caller OPERATOR = new Caller(OPERATOR_ID, Set.of(Scope.ADMIN), null, null);

    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }

    /** An administrator sees every partner's transfers; a partner sees its own. */
    public boolean seesAllPartners() {
        return scopes.contains(Scope.ADMIN);
    }

    /** Who the audit log names for an action of this caller: the partner and its key. */
    public AuditActor auditActor() {
        return new AuditActor(partnerId, apiKeyId);
    }
}
