package io.pointsledger.communication;

import io.pointsledger.segments.SegmentService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Writes each announcement's messages, a batch of members at a time in member id order: one
 * transaction locks the announcement (another instance planning it skips it), reads the next
 * members of the audience with their preferences and consents, writes their messages, and moves
 * the announcement past them. Planning starts when the announcement is made and, should that
 * instance stop, is taken up again by whichever instance looks next. It keeps only so far ahead of
 * the sending (planned-ahead-max messages due): the database work of a million members is spread
 * over the time their messages take to go out.
 */
@ApplicationScoped
class AnnouncementPlanner {

    private static final Logger LOG = Logger.getLogger(AnnouncementPlanner.class);
    /** Announcements taken up per look: planning is fast, more wait for the next look. */
    private static final int RESUMED_PER_LOOK = 10;
    /** How long planning waits when enough messages are waiting to be sent. */
    private static final Duration CATCH_UP_WAIT = Duration.ofMillis(500);
    /** How many times per planned-ahead-max members planned the backlog is counted. */
    private static final int CHECKS_PER_BACKLOG = 4;

    private final AnnouncementRepository repository;
    private final MessageRepository messages;
    private final MessagePlanning planning;
    private final CommunicationConfig config;
    private final MessageDispatcher dispatcher;
    private final SegmentService segments;
    /** Messages skipped per statement when an announcement is cancelled: a bounded transaction. */
    private static final int SKIPPED_PER_STATEMENT = 10_000;
    /** Announcements this instance is planning now. */
    private final Set<UUID> planningHere = ConcurrentHashMap.newKeySet();
    /** Cancelled announcements whose messages this instance is skipping now. */
    private final Set<UUID> skippingHere = ConcurrentHashMap.newKeySet();

    AnnouncementPlanner(AnnouncementRepository repository, MessageRepository messages, MessagePlanning planning,
            CommunicationConfig config, MessageDispatcher dispatcher, SegmentService segments) {
        this.segments = segments;
        this.repository = repository;
        this.messages = messages;
        this.planning = planning;
        this.config = config;
        this.dispatcher = dispatcher;
    }

    @Scheduled(every = "${points-ledger.communication.announcements.planning-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> resume() {
        return repository.planning(RESUMED_PER_LOOK).invoke(ids -> ids.forEach(this::plan))
                .chain(() -> repository.cancelledRecently(RESUMED_PER_LOOK)).invoke(ids -> ids.forEach(this::skipCancelled))
                .replaceWithVoid();
    }

    /**
     * Skips the cancelled announcement's messages not yet sent, {@value #SKIPPED_PER_STATEMENT} at
     * a time, in the background: they leave the queue at once rather than each taking a place in a
     * round (and a token of its channel's rate) when it comes due.
     */
    void skipCancelled(UUID announcementId) {
        if (!skippingHere.add(announcementId)) {
            return;
        }
        Multi.createBy().repeating().uni(() -> messages.skipCancelled(announcementId, SKIPPED_PER_STATEMENT))
                .whilst(skipped -> skipped == SKIPPED_PER_STATEMENT)
                .collect().last()
                .eventually(() -> skippingHere.remove(announcementId))
                .subscribe().with(last -> { }, failure -> LOG.warnf("Messages of cancelled announcement %s not skipped: %s",
                        announcementId, failure.toString()));
    }

    /** Plans the announcement to its end, in the background, unless this instance is at it already. */
    void plan(UUID announcementId) {
        if (!planningHere.add(announcementId)) {
            return;
        }
        Set<ContactChannel> channelsPlanned = EnumSet.noneOf(ContactChannel.class);
        // The first batch counts the backlog: a loop taken up by another instance, or after a restart, starts checked.
        int[] batchesSinceCheck = {Integer.MAX_VALUE - 1};
        messages.channelsPending(announcementId).invoke(channelsPlanned::addAll).toMulti()
                .onItem().transformToMultiAndConcatenate(seeded -> Multi.createBy().repeating()
                        .uni(() -> planBatch(announcementId, channelsPlanned, batchesSinceCheck))
                        .whilst(more -> more))
                .collect().last()
                .eventually(() -> planningHere.remove(announcementId))
                .subscribe().with(last -> { }, failure -> LOG.warnf("Announcement %s not planned further: %s", announcementId,
                        failure.toString()));
    }

    /**
     * One batch: true when members may remain. When every channel this announcement has messages
     * on (and a provider for) already has planned-ahead-max of them pending, it waits a moment
     * instead and plans nothing: a slow channel does not hold back the others, and no channel is
     * given a backlog of a million rows at once. Pending, not only due: messages held back by quiet
     * hours or a provider's outage are a backlog too.
     */
    private Uni<Boolean> planBatch(UUID announcementId, Set<ContactChannel> channelsPlanned, int[] batchesSinceCheck) {
        int aheadMax = config.announcements().plannedAheadMax();
        Set<ContactChannel> watched = EnumSet.noneOf(ContactChannel.class);
        watched.addAll(channelsPlanned);
        watched.retainAll(dispatcher.sendingChannels());
        if (!watched.isEmpty() && dispatcher.givingWay()) {
            return planWhileWritesBusy(announcementId, channelsPlanned, watched);
        }
        // Counting the backlog reads up to planned-ahead-max rows a channel: done a few times per backlog's worth of planning.
        int checkEvery = Math.max(1, aheadMax / config.announcements().planningBatchSize() / CHECKS_PER_BACKLOG);
        if (watched.isEmpty() || ++batchesSinceCheck[0] < checkEvery) {
            return planMembers(announcementId, channelsPlanned);
        }
        return messages.pendingOfAnnouncement(announcementId, watched, aheadMax).flatMap(pending -> {
            if (pending.values().stream().allMatch(count -> count >= aheadMax)) {
                // Still full: counted again after the wait, not planned past for a few batches.
                batchesSinceCheck[0] = checkEvery - 1;
                return Uni.createFrom().item(true).onItem().delayIt().by(CATCH_UP_WAIT);
            }
            batchesSinceCheck[0] = 0;
            return planMembers(announcementId, channelsPlanned);
        });
    }

    /**
     * While the tills are busy, planning keeps only one batch's worth of messages ahead of the
     * slowed sending, and plans at most one batch a wait: its inserts are database work too.
     */
    private Uni<Boolean> planWhileWritesBusy(UUID announcementId, Set<ContactChannel> channelsPlanned, Set<ContactChannel> watched) {
        int busyAhead = config.announcements().planningBatchSize();
        return messages.pendingOfAnnouncement(announcementId, watched, busyAhead).flatMap(pending ->
                (pending.values().stream().allMatch(count -> count >= busyAhead) ? Uni.createFrom().item(true)
                        : planMembers(announcementId, channelsPlanned))
                        .onItem().delayIt().by(CATCH_UP_WAIT));
    }

    private Uni<Boolean> planMembers(UUID announcementId, Set<ContactChannel> channelsPlanned) {
        int batchSize = config.announcements().planningBatchSize();
        return repository.pool().withTransaction(transaction -> repository.lockPlanning(transaction, announcementId).flatMap(stored -> {
            if (stored == null) {
                return Uni.createFrom().item(false);
            }
            Announcement announcement = stored.announcement();
            return audienceAfter(transaction, announcement, stored.plannedThrough(), batchSize).flatMap(batch -> {
                List<MessageRepository.Recipient> recipients = batch.recipients();
                List<PlannedMessage> planned = planning.plan(recipients, new MessagePlanning.Subject(MessageKind.ANNOUNCEMENT,
                        announcement.importance(), announcementId, announcementId, null));
                planned.forEach(message -> channelsPlanned.add(message.channel()));
                long reachable = planned.stream().map(PlannedMessage::memberId).distinct().count();
                UUID last = batch.last() == null ? stored.plannedThrough() : batch.last();
                return messages.insert(transaction, planned, config.dispatch().retryWindow())
                        .flatMap(written -> repository.recordBatch(transaction, announcementId, last, recipients.size(),
                                recipients.size() - (int) reachable, written, batch.done()))
                        .replaceWith(!batch.done());
            });
        }));
    }

    /** One batch of the audience in member id order: its recipients, the last member gone through (null: none), and whether it ends there. */
    private record AudienceBatch(List<MessageRepository.Recipient> recipients, UUID last, boolean done) {
    }

    /** The next batch after {@code after}: of the tiers named, or of the segment named, or of every member. */
    private Uni<AudienceBatch> audienceAfter(SqlClient transaction, Announcement announcement, UUID after, int batchSize) {
        AnnouncementAudience audience = announcement.audience();
        if (audience != null && audience.segmentId() != null) {
            return segments.memberIdsAfter(transaction, audience.segmentId(), after, batchSize).flatMap(members -> members.isEmpty()
                    ? Uni.createFrom().item(new AudienceBatch(List.of(), null, true))
                    : messages.recipientsOf(transaction, members).map(recipients -> new AudienceBatch(recipients,
                            members.get(members.size() - 1), members.size() < batchSize)));
        }
        List<String> tiers = audience == null ? null : audience.tiers().stream().map(Enum::name).toList();
        return messages.recipientsAfter(transaction, after, tiers, batchSize).map(recipients -> new AudienceBatch(recipients,
                recipients.isEmpty() ? null : recipients.get(recipients.size() - 1).memberId(), recipients.size() < batchSize));
    }
}
