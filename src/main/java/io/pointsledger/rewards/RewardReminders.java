package io.pointsledger.rewards;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Reminds members holding a seat at an EXPERIENCE before it starts
 * ({@code points-ledger.rewards.reminder-before}, 24 h by default): a REWARD_REMINDER notification,
 * sent on the member's preferred channel by the communication path. Once per claim, across
 * instances: a run takes the due claims with SKIP LOCKED, marks them reminded and writes their
 * events in one statement, so a claim is reminded by exactly one run, or by none if it rolled back.
 */
@ApplicationScoped
public class RewardReminders {

    private static final Logger LOG = Logger.getLogger(RewardReminders.class);

    /**
     * Seats not cancelled (a fulfilled one, its ticket sent, is still a seat) of events starting
     * within the reminder period and not yet reminded;
     * an event already started is not reminded of. The events starting soon are few, and each
     * has at most its capacity of claims, read through the claims' index by reward: an index of
     * their own would cost every claim of every reward an insert.
     */
    private static final String REMIND = """
            WITH due AS (
                SELECT c.claim_id, c.member_id, w.reward_id, w.name, w.starts_at, w.venue
                  FROM rewards w
                  JOIN reward_claims c ON c.reward_id = w.reward_id AND c.status <> 'CANCELLED' AND c.reminded_at IS NULL
                 WHERE w.kind = 'EXPERIENCE' AND w.starts_at > $1 AND w.starts_at <= $1 + make_interval(secs => $2)
                 ORDER BY w.starts_at, c.claim_id
                 LIMIT $3
                   FOR UPDATE OF c SKIP LOCKED
            ), reminded AS (
                UPDATE reward_claims c SET reminded_at = $1 FROM due
                 WHERE c.claim_id = due.claim_id AND c.member_id = due.member_id
            ), events AS (
                INSERT INTO outbox (event_id, member_id, event_type, payload)
                SELECT gen_random_uuid(), due.member_id, 'REWARD_REMINDER', jsonb_build_object(
                           'schemaVersion', 1, 'eventType', 'REWARD_REMINDER', 'claimId', due.claim_id,
                           'memberId', due.member_id, 'rewardId', due.reward_id, 'rewardName', due.name,
                           'startsAt', due.starts_at, 'venue', due.venue)
                  FROM due
            )
            SELECT count(*) AS reminded FROM due""";

    private final Pool pool;
    private final RewardsConfig config;
    private final Clock clock;

    RewardReminders(Pool pool, RewardsConfig config, Clock clock) {
        this.pool = pool;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${points-ledger.rewards.reminder-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return remindDue().invoke(reminded -> {
            if (reminded > 0) {
                LOG.infof("Reward reminders: %d members reminded of an event", reminded);
            }
        }).replaceWithVoid();
    }

    /** Writes the reminders of one batch of due claims; the number written. */
    public Uni<Long> remindDue() {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return pool.preparedQuery(REMIND)
                .execute(Tuple.of(now, (double) config.reminderBefore().toSeconds(), config.reminderBatchSize()))
                .map(rows -> rows.iterator().next().getLong("reminded"));
    }
}
