package io.pointsledger.webhooks;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.members.PersonalDataCipher;
import io.pointsledger.partners.Caller;
import io.pointsledger.partners.PartnerService;
import io.pointsledger.partners.Scope;
import io.pointsledger.platform.EnumParameter;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Partners' webhooks and their secrets, managed by the operator; every change audited. */
@ApplicationScoped
public class WebhookService {

    /** What a secret's encryption is bound to, besides the webhook: a secret cannot be passed off as a member's field. */
    static final String SECRET_FIELD = "webhook-secret";
    private static final String CURSOR_LIST = "webhook-deliveries";
    /** Two secrets sign during a rotation's overlap; a third would leave a receiver unsure which to keep. */
    private static final int SIGNING_SECRETS_MAX = 2;
    static final java.time.Duration REPLAY_REACH = java.time.Duration.ofDays(366);
    /** How far ahead of this instance's clock a client's "now" may be. */
    private static final java.time.Duration CLOCK_SKEW_MAX = java.time.Duration.ofMinutes(5);
    private static final Set<String> MEMBER_READING_SCOPES = Set.of(Scope.READ.wireName(), Scope.ADMIN.wireName());

    private final WebhookRepository repository;
    private final PartnerService partners;
    private final WebhookSubscriptions subscriptions;
    private final AuditLog audit;
    private final Pool pool;
    private final PersonalDataCipher cipher;
    private final WebhooksConfig config;
    private final java.time.Clock clock;

    WebhookService(WebhookRepository repository, PartnerService partners, WebhookSubscriptions subscriptions, AuditLog audit, Pool pool,
            PersonalDataCipher cipher, WebhooksConfig config, java.time.Clock clock) {
        this.clock = clock;
        this.partners = partners;
        this.repository = repository;
        this.subscriptions = subscriptions;
        this.audit = audit;
        this.pool = pool;
        this.cipher = cipher;
        this.config = config;
    }

    /**
     * Creates a webhook with its first secret. Fails with VALIDATION_FAILED (a URL the service does
     * not call; a member's event type for a partner not allowed to read members), PARTNER_NOT_FOUND
     * or WEBHOOK_LIMIT_REACHED.
     */
    public Uni<CreatedWebhook> create(Caller actor, String partnerId, CreateWebhookRequest request) {
        java.net.URI checked = WebhookUrls.check(request.url(), config.allowPlainHttp(), config.allowPrivateHosts());
        String url = checked.toString();
        UUID webhookId = UUID.randomUUID();
        UUID secretId = UUID.randomUUID();
        String secret = WebhookSignatures.newSecret();
        String prefix = WebhookSignatures.displayPrefix(secret);
        return pool.withTransaction(transaction -> repository.lockPartner(transaction, partnerId)
                        .invoke(partner -> checkMayCreate(partnerId, partner, request))
                        .flatMap(ignored -> repository.insertWebhook(transaction, webhookId, partnerId, url,
                                request.eventTypes(), request.description()))
                        .flatMap(ignored -> repository.insertSecret(transaction, secretId, webhookId,
                                cipher.encrypt(secret, webhookId, SECRET_FIELD), prefix))
                        .call(() -> audit.record(transaction, actor.auditActor(), AuditAction.WEBHOOK_CREATED, partnerId,
                                auditDetails(webhookId, Map.of("url", WebhookUrls.withoutQuery(checked), "eventTypes",
                                        sortedNames(request.eventTypes()),
                                        "secretPrefix", prefix))))
                        .flatMap(createdAt -> repository.find(transaction, partnerId, webhookId))
                        .map(Optional::orElseThrow))
                // Answered once this instance's consumer knows of the webhook's event types: the
                // events published after this answer are the webhook's.
                .call(subscriptions::refreshAfterChange)
                .map(webhook -> new CreatedWebhook(webhook, new IssuedWebhookSecret(secretId.toString(), webhook.webhookId(),
                        secret, prefix, webhook.createdAt())));
    }

    private void checkMayCreate(String partnerId, Optional<WebhookRepository.LockedPartner> partner, CreateWebhookRequest request) {
        if (partner.isEmpty()) {
            throw partnerNotFound(partnerId);
        }
        if (partner.get().webhooks() >= config.perPartnerMax()) {
            throw new ProblemException(ErrorCode.WEBHOOK_LIMIT_REACHED, "At most " + config.perPartnerMax() + " webhooks per partner");
        }
        boolean readsMembers = partner.get().scopes().stream().anyMatch(MEMBER_READING_SCOPES::contains);
        List<String> membersEvents = request.eventTypes().stream().filter(type -> !type.partnersOwn()).map(Enum::name).sorted().toList();
        if (!readsMembers && !membersEvents.isEmpty()) {
            throw ProblemException.invalid("eventTypes", "members' events " + membersEvents
                    + " go only to a partner with the read scope; this partner may subscribe to its own events: "
                    + sortedNames(Set.of(WebhookEventType.values()).stream().filter(WebhookEventType::partnersOwn).toList()));
        }
    }

    public Uni<List<Webhook>> list(String partnerId) {
        // PARTNER_NOT_FOUND as the partner's own read answers it.
        return partners.find(partnerId).flatMap(ignored -> repository.list(partnerId));
    }

    /** Fails with WEBHOOK_NOT_FOUND. */
    public Uni<Webhook> find(String partnerId, UUID webhookId) {
        return repository.find(partnerId, webhookId).map(found -> found.orElseThrow(() -> webhookNotFound(partnerId, webhookId)));
    }

    /** Deletes a webhook, its secrets and its deliveries, pending or not. Fails with WEBHOOK_NOT_FOUND. */
    public Uni<Void> delete(Caller actor, String partnerId, UUID webhookId) {
        return pool.withTransaction(transaction -> repository.delete(transaction, partnerId, webhookId)
                        .map(url -> url.orElseThrow(() -> webhookNotFound(partnerId, webhookId)))
                        .call(url -> audit.record(transaction, actor.auditActor(), AuditAction.WEBHOOK_DELETED, partnerId,
                                auditDetails(webhookId, Map.of("url", WebhookUrls.withoutQuery(java.net.URI.create(url)))))))
                .call(subscriptions::refreshAfterChange)
                .replaceWithVoid();
    }

    /**
     * A new current secret; the one it replaces keeps signing for the configured overlap. Fails
     * with WEBHOOK_NOT_FOUND or WEBHOOK_SECRET_LIMIT_REACHED (two already sign).
     */
    public Uni<IssuedWebhookSecret> rotateSecret(Caller actor, String partnerId, UUID webhookId) {
        UUID secretId = UUID.randomUUID();
        String secret = WebhookSignatures.newSecret();
        String prefix = WebhookSignatures.displayPrefix(secret);
        return pool.withTransaction(transaction -> lockSecrets(transaction, partnerId, webhookId)
                .invoke(secrets -> {
                    if (secrets.size() >= SIGNING_SECRETS_MAX) {
                        throw new ProblemException(ErrorCode.WEBHOOK_SECRET_LIMIT_REACHED, "Two secrets sign until "
                                + secrets.values().stream().flatMap(Optional::stream).min(OffsetDateTime::compareTo).orElseThrow()
                                + "; expire the previous one first");
                    }
                })
                .flatMap(ignored -> repository.retireCurrentSecret(transaction, webhookId, config.secretOverlap()))
                .flatMap(ignored -> repository.insertSecret(transaction, secretId, webhookId,
                        cipher.encrypt(secret, webhookId, SECRET_FIELD), prefix))
                .call(() -> audit.record(transaction, actor.auditActor(), AuditAction.WEBHOOK_SECRET_ROTATED, partnerId,
                        auditDetails(webhookId, Map.of("secretId", secretId.toString(), "secretPrefix", prefix)))))
                .map(createdAt -> new IssuedWebhookSecret(secretId.toString(), webhookId.toString(), secret, prefix, createdAt));
    }

    /**
     * Stops a previous secret signing now, rather than at the end of its overlap. Expiring an
     * expired secret again is harmless. Fails with WEBHOOK_NOT_FOUND, WEBHOOK_SECRET_NOT_FOUND or
     * WEBHOOK_SECRET_IS_CURRENT.
     */
    public Uni<Void> expireSecret(Caller actor, String partnerId, UUID webhookId, UUID secretId) {
        return pool.withTransaction(transaction -> lockSecrets(transaction, partnerId, webhookId)
                .flatMap(secrets -> {
                    Optional<OffsetDateTime> expiry = secrets.get(secretId);
                    if (expiry != null && expiry.isEmpty()) {
                        throw new ProblemException(ErrorCode.WEBHOOK_SECRET_IS_CURRENT,
                                "Secret " + secretId + " is the current one; rotate to replace it");
                    }
                    return expiry != null ? Uni.createFrom().item(true) : repository.secretExists(transaction, webhookId, secretId);
                })
                .flatMap(exists -> {
                    if (!exists) {
                        throw new ProblemException(ErrorCode.WEBHOOK_SECRET_NOT_FOUND, "No secret " + secretId + " for webhook " + webhookId);
                    }
                    return repository.expireSecret(transaction, webhookId, secretId);
                })
                .call(() -> audit.record(transaction, actor.auditActor(), AuditAction.WEBHOOK_SECRET_EXPIRED, partnerId,
                        auditDetails(webhookId, Map.of("secretId", secretId.toString())))));
    }

    private Uni<Map<UUID, Optional<OffsetDateTime>>> lockSecrets(SqlClient transaction, String partnerId, UUID webhookId) {
        return repository.lockSecrets(transaction, partnerId, webhookId)
                .map(secrets -> secrets.orElseThrow(() -> webhookNotFound(partnerId, webhookId)));
    }

    /** A page of the webhook's deliveries, newest first. Fails with WEBHOOK_NOT_FOUND or VALIDATION_FAILED. */
    public Uni<WebhookDeliveryPage> deliveries(String partnerId, UUID webhookId, String status, String cursor, String limit) {
        int pageSize = Paging.pageSize(limit, config.pageSizeDefault(), WebhooksConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(CURSOR_LIST, cursor);
        WebhookDeliveryStatus wanted = EnumParameter.parse("status", status, WebhookDeliveryStatus.class);
        return find(partnerId, webhookId)
                .flatMap(webhook -> repository.deliveries(webhookId, before, wanted, pageSize + 1))
                .map(rows -> {
                    boolean more = rows.size() > pageSize;
                    List<WebhookRepository.SequencedDelivery> page = more ? rows.subList(0, pageSize) : rows;
                    String next = more ? Paging.encodeCursor(CURSOR_LIST, page.get(page.size() - 1).sequence()) : null;
                    return new WebhookDeliveryPage(page.stream().map(WebhookRepository.SequencedDelivery::delivery).toList(), next);
                });
    }

    /** Tries one delivery again from now, whatever its status. Fails with WEBHOOK_NOT_FOUND or WEBHOOK_DELIVERY_NOT_FOUND. */
    public Uni<WebhookDelivery> replay(Caller actor, String partnerId, UUID webhookId, UUID deliveryId) {
        return pool.withTransaction(transaction -> lockSecrets(transaction, partnerId, webhookId)
                .flatMap(webhook -> repository.replay(transaction, webhookId, deliveryId, config.retryWindow()))
                .map(replayed -> replayed.orElseThrow(() -> new ProblemException(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND,
                        "No delivery " + deliveryId + " for webhook " + webhookId)))
                .call(delivery -> audit.record(transaction, actor.auditActor(), AuditAction.WEBHOOK_DELIVERIES_REPLAYED, partnerId,
                        auditDetails(webhookId, Map.of("deliveryId", deliveryId.toString())))));
    }

    /** Puts back the dead deliveries of events since {@code since}, at most the configured number. Fails with WEBHOOK_NOT_FOUND. */
    public Uni<ReplayResult> replayDead(Caller actor, String partnerId, UUID webhookId, ReplayRequest request) {
        checkSince(request.since());
        return pool.withTransaction(transaction -> lockSecrets(transaction, partnerId, webhookId)
                .flatMap(webhook -> repository.replayDead(transaction, webhookId, request.since(), config.retryWindow(), config.replayMax()))
                .call(result -> audit.record(transaction, actor.auditActor(), AuditAction.WEBHOOK_DELIVERIES_REPLAYED, partnerId,
                        auditDetails(webhookId, Map.of("since", request.since().toString(), "replayed", result.replayed())))));
    }

    /**
     * A replay reaches back at most {@link #REPLAY_REACH}: far more than deliveries are kept, and
     * well inside what PostgreSQL stores (a year 300 000 would be refused by the database, not here).
     */
    private void checkSince(OffsetDateTime since) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (since.isBefore(now.minus(REPLAY_REACH)) || since.isAfter(now.plus(CLOCK_SKEW_MAX))) {
            throw ProblemException.invalid("since", "must lie within the last " + REPLAY_REACH.toDays() + " days");
        }
    }

    private static Map<String, Object> auditDetails(UUID webhookId, Map<String, Object> details) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("webhookId", webhookId.toString());
        all.putAll(details);
        return all;
    }

    private static List<String> sortedNames(java.util.Collection<WebhookEventType> types) {
        return types.stream().map(Enum::name).sorted().toList();
    }

    private static ProblemException partnerNotFound(String partnerId) {
        return new ProblemException(ErrorCode.PARTNER_NOT_FOUND, "No partner " + partnerId);
    }

    private static ProblemException webhookNotFound(String partnerId, UUID webhookId) {
        return new ProblemException(ErrorCode.WEBHOOK_NOT_FOUND, "No webhook " + webhookId + " for partner " + partnerId);
    }
}
