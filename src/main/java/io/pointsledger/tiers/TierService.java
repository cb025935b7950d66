package io.pointsledger.tiers;

import io.pointsledger.ledger.Balance;
import io.pointsledger.ledger.LedgerService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Tiers from rolling qualifying spend: an upgrade as soon as the purchase event is processed, a
 * downgrade only at the periodic review. Every step is idempotent, so a redelivered event
 * changes nothing.
 */
@ApplicationScoped
public class TierService {

    private static final int UPGRADE = 1;
    private static final int DOWNGRADE = -1;

    private final TierRepository repository;
    private final LedgerService ledger;
    private final TiersConfig config;
    private final Clock clock;

    TierService(TierRepository repository, LedgerService ledger, TiersConfig config, Clock clock) {
        this.repository = repository;
        this.ledger = ledger;
        this.config = config;
        this.clock = clock;
    }

    /** Applies one ledger event (the JSON documented in docs/events.md). */
    public Uni<Void> apply(JsonObject event) {
        String kind = event.getString("kind");
        UUID memberId = UUID.fromString(event.getString("memberId"));
        UUID transferId = UUID.fromString(event.getString("transferId"));
        if ("EARN".equals(kind) && event.getJsonObject("amount") != null) {
            long amount = event.getJsonObject("amount").getLong("value");
            OffsetDateTime occurredAt = OffsetDateTime.parse(event.getString("occurredAt"));
            return repository.pool().withTransaction(transaction -> repository
                            .recordPurchase(transaction, transferId, memberId, amount, event.getLong("points"), occurredAt)
                            .flatMap(ignored -> evaluate(transaction, memberId, UPGRADE, "qualifying spend reached")))
                    .flatMap(ledger::cacheAfterCommit);
        }
        if ("REVERSAL".equals(kind) && event.getString("relatedTransferId") != null) {
            UUID original = UUID.fromString(event.getString("relatedTransferId"));
            return repository.pool().withTransaction(transaction ->
                    repository.recordReversal(transaction, transferId, original, event.getLong("points")));
        }
        return Uni.createFrom().voidItem();
    }

    /** Downgrades the member if their spend no longer qualifies; for the periodic review. */
    public Uni<Void> review(UUID memberId) {
        return repository.pool().withTransaction(transaction -> evaluate(transaction, memberId, DOWNGRADE, "periodic review")
                        .call(changed -> changed == null
                                ? repository.saveStatusReviewed(transaction, memberId, nextReview())
                                : Uni.createFrom().voidItem()))
                .flatMap(ledger::cacheAfterCommit);
    }

    /** The member's tier and progress. Fails with MEMBER_NOT_FOUND. */
    public Uni<TierStanding> standing(UUID memberId) {
        return ledger.balance(memberId).flatMap(balance -> repository.qualifyingSpend(repository.pool(), memberId, windowStart())
                .flatMap(spend -> repository.status(repository.pool(), memberId)
                        .map(status -> standing(balance.tier(), spend, status))));
    }

    private TierStanding standing(Tier tier, long spend, TierRepository.SavedStatus status) {
        Tier next = tier == Tier.GOLD ? null : Tier.values()[tier.ordinal() + 1];
        Long remaining = next == null ? null : Math.max(0, minimumSpend(next) - spend);
        return new TierStanding(tier, spend, next, remaining, status == null ? null : status.reviewAt(),
                status == null ? null : status.since());
    }

    /** Moves the tier in {@code direction} if the spend says so; the new balance, or null. */
    private Uni<Balance> evaluate(io.vertx.mutiny.sqlclient.SqlClient transaction, UUID memberId, int direction, String reason) {
        return repository.qualifyingSpend(transaction, memberId, windowStart()).flatMap(spend -> ledger
                .changeTier(transaction, memberId, config.tierFor(spend), direction, reason)
                .call(changed -> changed == null ? Uni.createFrom().voidItem()
                        : repository.saveStatus(transaction, memberId, changed.tier(), now(), nextReview())));
    }

    private long minimumSpend(Tier tier) {
        return switch (tier) {
            case BASIC -> 0;
            case SILVER -> config.silverMinimumSpend();
            case GOLD -> config.goldMinimumSpend();
        };
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private OffsetDateTime windowStart() {
        return now().minus(config.qualifyingWindow());
    }

    private OffsetDateTime nextReview() {
        return now().plus(config.reviewPeriod());
    }
}
