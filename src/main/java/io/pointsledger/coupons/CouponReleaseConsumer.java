package io.pointsledger.coupons;

import io.pointsledger.events.EventConsumption;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Coupons' own consumer group of the ledger events (channel {@value #CHANNEL}): a checkout's points
 * hold voided or expired releases the codes the member held for the same order through the same partner. Releasing is
 * idempotent (a code no longer held for the order is left as it is), so a redelivery changes nothing.
 */
@ApplicationScoped
public class CouponReleaseConsumer {

    static final String CHANNEL = "coupon-releases";

    private final EventConsumption consumption;
    private final CouponService coupons;

    CouponReleaseConsumer(EventConsumption consumption, CouponService coupons) {
        this.consumption = consumption;
        this.coupons = coupons;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(List<String> events) {
        return consumption.applyBatch(CHANNEL, events, this::applyAll, this::apply);
    }

    private Uni<Void> applyAll(List<JsonObject> events) {
        return Multi.createFrom().iterable(events).onItem().transformToUniAndConcatenate(this::apply).collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> apply(JsonObject event) {
        String kind = event.getString("kind");
        String orderId = event.getString("orderId");
        if (!("VOID".equals(kind) || "HOLD_EXPIRED".equals(kind)) || orderId == null) {
            return Uni.createFrom().voidItem();
        }
        return coupons.releaseForOrder(UUID.fromString(event.getString("memberId")), orderId, event.getString("partnerId"))
                .replaceWithVoid();
    }
}
