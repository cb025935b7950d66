package io.pointsledger.audit;

import java.util.UUID;

/**
 * Who acted: the partner, and the API key it used. {@code apiKeyId} is null for the program
 * operator's bootstrap key, which is configuration, not a stored key.
 */
public record AuditActor(String partnerId, UUID apiKeyId) {
}
