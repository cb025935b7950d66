package io.pointsledger.feedback;

import io.pointsledger.events.EventConsumption;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feedback's consumer group of the ledger events (channel {@value #CHANNEL}): a purchase (an earn
 * for an amount) or an attended reservation invites its member to the active surveys that ask
 * about it and invite, with a SURVEY_INVITATION notification sent like every other. One statement
 * per batch; a redelivered event invites nobody again (an invitation row per member, survey and
 * target is its key).
 */
@ApplicationScoped
public class SurveyInvitations {

    static final String CHANNEL = "survey-invitations";

    private final EventConsumption consumption;
    private final SurveyRepository repository;
    private final FeedbackConfig config;

    SurveyInvitations(EventConsumption consumption, SurveyRepository repository, FeedbackConfig config) {
        this.consumption = consumption;
        this.repository = repository;
        this.config = config;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(List<String> events) {
        return consumption.applyBatch(CHANNEL, events, this::invite, event -> invite(List.of(event)));
    }

    private Uni<Void> invite(List<JsonObject> events) {
        List<SurveyRepository.Occasion> occasions = events.stream().map(SurveyInvitations::occasionOf).filter(Objects::nonNull).toList();
        if (occasions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return repository.invite(occasions, config.answerWindowDays(), config.invitationQuietDays()).replaceWithVoid();
    }

    /** The occasion an event is, or null: a purchase is an EARN for an amount, as answers require. */
    static SurveyRepository.Occasion occasionOf(JsonObject event) {
        String type = event.getString("eventType");
        if ("TRANSFER_RECORDED".equals(type) && "EARN".equals(event.getString("kind"))) {
            JsonObject amount = event.getJsonObject("amount");
            if (amount == null || amount.getLong("value", 0L) <= 0) {
                return null;
            }
            return new SurveyRepository.Occasion(UUID.fromString(event.getString("memberId")), UUID.fromString(event.getString("transferId")),
                    SurveyTrigger.PURCHASE, OffsetDateTime.parse(event.getString("occurredAt")));
        }
        if ("RESERVATION_ATTENDED".equals(type)) {
            // Answers date an attendance by the slot's end (events from before endsAt: by the arrival).
            String endsAt = event.getString("endsAt", event.getString("attendedAt"));
            return new SurveyRepository.Occasion(UUID.fromString(event.getString("memberId")),
                    UUID.fromString(event.getString("reservationId")), SurveyTrigger.RESERVATION_ATTENDED, OffsetDateTime.parse(endsAt));
        }
        return null;
    }
}
