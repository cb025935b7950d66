package io.pointsledger.communication;

import io.pointsledger.events.EventConsumption;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The member notifications' consumer group (channel {@value #CHANNEL}): a tier change, points about
 * to expire or a coupon issued becomes a message to the member, planned like an announcement's
 * (their preferred consented channel, after their quiet hours) and sent by the same dispatcher.
 * One statement per batch; an event delivered again plans nothing new.
 */
@ApplicationScoped
public class MemberNotifications {

    static final String CHANNEL = "member-notifications";

    private final EventConsumption consumption;
    private final MessageRepository repository;
    private final MessagePlanning planning;
    private final CommunicationConfig config;

    MemberNotifications(EventConsumption consumption, MessageRepository repository, MessagePlanning planning,
            CommunicationConfig config) {
        this.consumption = consumption;
        this.repository = repository;
        this.planning = planning;
        this.config = config;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(List<String> notifications) {
        return consumption.applyBatch(CHANNEL, notifications, this::plan, event -> plan(List.of(event)));
    }

    private Uni<Void> plan(List<JsonObject> events) {
        List<JsonObject> wanted = events.stream().filter(event -> kindOf(event) != null && memberOf(event) != null).toList();
        if (wanted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<UUID> members = wanted.stream().map(MemberNotifications::memberOf).distinct().toList();
        return repository.recipientsOf(repository.pool(), members).flatMap(found -> {
            Map<UUID, MessageRepository.Recipient> byMember = found.stream()
                    .collect(Collectors.toMap(MessageRepository.Recipient::memberId, Function.identity()));
            List<PlannedMessage> messages = new ArrayList<>();
            for (JsonObject event : wanted) {
                MessageRepository.Recipient recipient = byMember.get(memberOf(event));
                if (recipient != null) {
                    messages.addAll(planning.plan(List.of(recipient), new MessagePlanning.Subject(kindOf(event), MessageImportance.NORMAL,
                            eventIdOf(event), null, event)));
                }
            }
            return repository.insert(repository.pool(), messages, config.dispatch().retryWindow()).replaceWithVoid();
        });
    }

    /** The kind of message an event makes; null for an event members are not told of. */
    private static MessageKind kindOf(JsonObject event) {
        Object type = event.getValue("eventType");
        for (MessageKind kind : MessageKind.values()) {
            if (kind != MessageKind.ANNOUNCEMENT && kind.name().equals(type)) {
                return kind;
            }
        }
        return null;
    }

    private static UUID memberOf(JsonObject event) {
        try {
            String memberId = event.getString("memberId");
            return memberId == null ? null : UUID.fromString(memberId);
        } catch (IllegalArgumentException | ClassCastException malformed) {
            return null;
        }
    }

    /** The same for every delivery of an event: a redelivery repeats its payload byte for byte. */
    private static UUID eventIdOf(JsonObject event) {
        return UUID.nameUUIDFromBytes(event.encode().getBytes(StandardCharsets.UTF_8));
    }
}
