package io.pointsledger.campaigns;

import io.pointsledger.events.EventConsumption;
import io.pointsledger.ledger.BonusOccasion;
import io.pointsledger.tiers.Tier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Campaigns' own consumer groups: of the ledger events (channel {@value #CHANNEL}), where a
 * member's enrollment (MEMBER_ENROLLED) is rewarded by the active SIGNUP campaigns, and of the
 * notifications (channel {@value #TIER_CHANNEL}), where a move up a tier (TIER_CHANGED) is
 * rewarded by the active TIER_REACHED campaigns, and a reservation attended (RESERVATION_ATTENDED, a
 * ledger event) by the active RESERVATION_ATTENDED campaigns ({@link OccasionRewards}: bonus points through the
 * write path, or coupons). A campaign rewards once per member and occasion, so a redelivered event
 * changes nothing. Other events are passed by.
 */
@ApplicationScoped
public class CampaignTriggerConsumer {

    static final String CHANNEL = "campaign-triggers";
    static final String TIER_CHANNEL = "campaign-tier-triggers";
    static final String MEMBER_ENROLLED = "MEMBER_ENROLLED";
    private static final String BULK = "BULK";
    static final String TIER_CHANGED = "TIER_CHANGED";
    static final String RESERVATION_ATTENDED = "RESERVATION_ATTENDED";
    private static final Duration LOAD_BACKOFF_FIRST = Duration.ofMillis(100);
    private static final Duration LOAD_BACKOFF_MAX = Duration.ofSeconds(2);
    private static final Duration LOAD_WAIT_MAX = Duration.ofMinutes(2);

    private final EventConsumption consumption;
    private final ActiveCampaigns active;
    private final OccasionRewards rewards;

    CampaignTriggerConsumer(EventConsumption consumption, ActiveCampaigns active, OccasionRewards rewards) {
        this.consumption = consumption;
        this.active = active;
        this.rewards = rewards;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(List<String> events) {
        return campaignsLoaded().chain(() -> consumption.applyBatch(CHANNEL, events, this::applyAll, this::apply));
    }

    @Incoming(TIER_CHANNEL)
    public Uni<Void> consumeNotifications(List<String> events) {
        return campaignsLoaded().chain(() -> consumption.applyBatch(TIER_CHANNEL, events, this::applyAll, this::apply));
    }

    /**
     * Events are only decided once this instance has loaded the active campaigns (at start): a
     * batch waits for them rather than failing its events into the dead letters, where their
     * bonuses would be lost. Bounded: past it, the batch fails like any other and is retried.
     */
    private Uni<Void> campaignsLoaded() {
        return Uni.createFrom().deferred(() -> active.current().loaded() ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new IllegalStateException("The active campaigns are not loaded yet")))
                .onFailure().retry().withBackOff(LOAD_BACKOFF_FIRST, LOAD_BACKOFF_MAX).expireIn(LOAD_WAIT_MAX.toMillis());
    }

    /** One member's events after another's, each member's in order: a batch's earns go through the write path's batching. */
    private Uni<Void> applyAll(List<JsonObject> events) {
        return Multi.createFrom().iterable(events).onItem().transformToUniAndConcatenate(this::apply).collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> apply(JsonObject event) {
        String type = event.getString("eventType");
        if (MEMBER_ENROLLED.equals(type)) {
            if (BULK.equals(event.getString("channel"))) {
                // Brought over from another system: a member of the program before, not one signing up.
                return Uni.createFrom().voidItem();
            }
            // A member enrolls in the lowest tier.
            return rewards.reward(memberId(event), CampaignTrigger.SIGNUP, BonusOccasion.SIGNUP,
                    OffsetDateTime.parse(event.getString("enrolledAt")), Tier.BASIC);
        }
        if (RESERVATION_ATTENDED.equals(type)) {
            return rewards.reward(memberId(event), CampaignTrigger.RESERVATION_ATTENDED,
                    BonusOccasion.reservationAttended(UUID.fromString(event.getString("reservationId"))),
                    OffsetDateTime.parse(event.getString("attendedAt")), Tier.valueOf(event.getString("tier")));
        }
        if (TIER_CHANGED.equals(type)) {
            Tier from = Tier.valueOf(event.getString("from"));
            Tier to = Tier.valueOf(event.getString("to"));
            if (to.compareTo(from) > 0) {
                return rewards.reward(memberId(event), CampaignTrigger.TIER_REACHED, BonusOccasion.tierReached(to),
                        OffsetDateTime.parse(event.getString("changedAt")), to);
            }
        }
        return Uni.createFrom().voidItem();
    }

    private static UUID memberId(JsonObject event) {
        return UUID.fromString(event.getString("memberId"));
    }
}
