package io.pointsledger.communication;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/** Hands messages of one channel to its provider. */
interface ChannelSender {

    ContactChannel channel();

    /** Whether a provider is configured: without one the channel's messages wait. */
    boolean configured();

    /** How many messages one round hands over at once, at most. */
    int roundSizeMax();

    /** One message, addressed and worded. */
    record Outgoing(UUID messageId, UUID memberId, String address, MessageText text, String unsubscribeUrl) {
    }

    /** How a message's hand-over went; {@code permanent}: refused for good, not to be tried again. */
    record Result(UUID messageId, boolean sent, boolean permanent, String error) {

        static Result sent(UUID messageId) {
            return new Result(messageId, true, false, null);
        }

        static Result failed(UUID messageId, boolean permanent, String error) {
            return new Result(messageId, false, permanent, error);
        }
    }

    /** Sends {@code messages}: a result for each, never a failure. */
    Uni<List<Result>> send(List<Outgoing> messages);
}
