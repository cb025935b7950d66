package io.pointsledger.partners;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Partners, their keys, and who a key belongs to. Key look-ups are cached in memory (bounded size
 * and lifetime, see application.properties) so authentication costs no round trip on the hot path;
 * a revocation is immediate on the instance that made it and, through {@link KeyRevocationBroadcast},
 * on the others as soon as Redis delivers it; within the cache lifetime when Redis cannot.
 * Only keys that were found are cached: caching misses would let anyone evict real keys by
 * presenting made-up ones.
 */
@ApplicationScoped
public class PartnerService {

    static final String KEY_CACHE = "api-keys";

    private final PartnerRepository repository;
    private final AuditLog audit;
    private final Pool pool;
    private final SecurityConfig config;
    private final CaffeineCache keyCache;
    private final byte[] adminKeyHash;
    private final Counter keyLookups;
    private final KeyRevocationBroadcast revocations;

    PartnerService(PartnerRepository repository, AuditLog audit, Pool pool, SecurityConfig config,
            @CacheName(KEY_CACHE) Cache keyCache, MeterRegistry registry, KeyRevocationBroadcast revocations) {
        this.revocations = revocations;
        this.repository = repository;
        this.audit = audit;
        this.pool = pool;
        this.config = config;
        this.keyCache = keyCache.as(CaffeineCache.class);
        this.adminKeyHash = ApiKeys.hash(config.adminKey());
        this.keyLookups = Counter.builder("ledger.api.key.lookups")
                .description("API keys looked up in PostgreSQL (presented, well formed, not cached)")
                .register(registry);
    }

    /**
     * The caller a presented key belongs to; empty for a malformed, unknown or revoked key. Only a
     * well-formed key that is not cached costs a database query.
     */
    public Uni<Optional<Caller>> authenticate(String presentedKey) {
        byte[] hash = ApiKeys.hash(presentedKey);
        if (isAdminKey(hash)) {
            return Uni.createFrom().item(Optional.of(Caller.OPERATOR));
        }
        if (!ApiKeys.isWellFormed(presentedKey)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return keyCache.getAsync(cacheKey(hash), ignored -> lookUp(hash))
                .map(Optional::of)
                .onFailure(UnknownKey.class).recoverWithItem(Optional.empty());
    }

    /**
     * The caller of the admin key or of a key this instance has cached, without any query; empty
     * otherwise, even for a valid key that is not cached.
     */
    public Optional<Caller> authenticateFromMemory(String presentedKey) {
        byte[] hash = ApiKeys.hash(presentedKey);
        if (isAdminKey(hash)) {
            return Optional.of(Caller.OPERATOR);
        }
        if (!ApiKeys.isWellFormed(presentedKey)) {
            return Optional.empty();
        }
        CompletableFuture<Caller> cached = keyCache.getIfPresent(cacheKey(hash));
        boolean found = cached != null && cached.isDone() && !cached.isCompletedExceptionally();
        return found ? Optional.of(cached.join()) : Optional.empty();
    }

    /** The admin key may have any shape, so it is compared first: as hashes, in constant time. */
    private boolean isAdminKey(byte[] presentedKeyHash) {
        return MessageDigest.isEqual(presentedKeyHash, adminKeyHash);
    }

    /** Fails with {@link UnknownKey} when no active key has this hash: a failed load is not cached. */
    private Uni<Caller> lookUp(byte[] keyHash) {
        keyLookups.increment();
        return repository.findCallerByActiveKey(keyHash).map(caller -> caller.orElseThrow(UnknownKey::new));
    }

    /** No active key has the presented hash. Thrown on every miss, so it carries no stack trace. */
    private static final class UnknownKey extends RuntimeException {
        UnknownKey() {
            super("unknown API key", null, false, false);
        }
    }

    /** Creates a partner. */
    public Uni<Partner> create(Caller actor, CreatePartnerRequest request) {
        String partnerId = UUID.randomUUID().toString();
        return pool.withTransaction(transaction -> repository.insert(transaction, partnerId, request)
                .call(() -> audit.record(transaction, actor.auditActor(), AuditAction.PARTNER_CREATED, partnerId,
                        Map.of("name", request.name(), "scopes", request.scopes().stream().map(Scope::wireName).sorted().toList(),
                                "rateLimitPerSecond", request.rateLimitPerSecond()))))
                .map(createdAt -> new Partner(partnerId, request.name(), request.scopes(), request.rateLimitPerSecond(),
                        createdAt, List.of()));
    }

    /** Fails with PARTNER_NOT_FOUND. */
    public Uni<Partner> find(String partnerId) {
        return repository.find(partnerId).onItem().ifNull().failWith(() -> partnerNotFound(partnerId));
    }

    /**
     * Issues a key; the answer is the only place the key ever appears. Fails with PARTNER_NOT_FOUND
     * or ACTIVE_KEY_LIMIT_REACHED (revoke one first: that is how keys rotate).
     */
    public Uni<IssuedApiKey> issueKey(Caller actor, String partnerId) {
        String key = ApiKeys.generate();
        UUID keyId = UUID.randomUUID();
        return pool.withTransaction(transaction -> repository.lockAndCountActiveKeys(transaction, partnerId)
                .flatMap(activeKeys -> {
                    if (activeKeys.isEmpty()) {
                        return Uni.createFrom().failure(partnerNotFound(partnerId));
                    }
                    if (activeKeys.get() >= config.activeKeysPerPartnerMax()) {
                        return Uni.createFrom().failure(new ProblemException(ErrorCode.ACTIVE_KEY_LIMIT_REACHED,
                                "At most " + config.activeKeysPerPartnerMax() + " active keys; revoke one to rotate"));
                    }
                    return repository.insertKey(transaction, keyId, partnerId, ApiKeys.hash(key), ApiKeys.displayPrefix(key))
                            .call(() -> audit.record(transaction, actor.auditActor(), AuditAction.API_KEY_ISSUED, partnerId,
                                    Map.of("keyId", keyId.toString(), "keyPrefix", ApiKeys.displayPrefix(key))));
                }))
                .map(createdAt -> new IssuedApiKey(keyId.toString(), partnerId, key, ApiKeys.displayPrefix(key), createdAt));
    }

    /**
     * Revokes a key, at once on this instance and, by a broadcast after commit, on the others.
     * Revoking twice is harmless (and broadcasts again). Fails with API_KEY_NOT_FOUND.
     */
    public Uni<Void> revokeKey(Caller actor, String partnerId, UUID keyId) {
        return pool.withTransaction(transaction -> repository.revokeKey(transaction, partnerId, keyId)
                .flatMap(hash -> hash.isEmpty()
                        ? Uni.createFrom().<byte[]>failure(new ProblemException(ErrorCode.API_KEY_NOT_FOUND,
                                "No key " + keyId + " for partner " + partnerId))
                        : audit.record(transaction, actor.auditActor(), AuditAction.API_KEY_REVOKED, partnerId,
                                Map.of("keyId", keyId.toString())).replaceWith(hash.get())))
                .flatMap(hash -> keyCache.invalidate(cacheKey(hash)).call(() -> revocations.publish(cacheKey(hash))));
    }

    private static String cacheKey(byte[] keyHash) {
        return HexFormat.of().formatHex(keyHash);
    }

    private static ProblemException partnerNotFound(String partnerId) {
        return new ProblemException(ErrorCode.PARTNER_NOT_FOUND, "No partner " + partnerId);
    }
}
