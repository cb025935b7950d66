package io.pointsledger.ledger;

import io.pointsledger.platform.DatabaseConfig;
import io.pointsledger.program.ProgramConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The one write path of the ledger: a batch of writes of any kinds in one transaction. Find the
 * members of the holds and transfers acted on; lock every account of the batch in member order
 * and read what the writes are decided on; decide them all in Java ({@link WriteDecider}); write
 * the decisions in one statement and commit.
 *
 * <p>Two round trips for a batch that names only members (three with holds or transfers to
 * find): the statements of a step go out together on the connection, pipelined, and PostgreSQL
 * runs them in order. BEGIN, the lock and the reads are one step, because a read queued behind
 * the lock runs once the lock is held, with a snapshot of its own; the apply statement and COMMIT
 * are the other (a COMMIT behind a failed statement rolls back).
 *
 * <p>An idempotency key committed meanwhile by another transaction (the same key used for another
 * member's write, on another instance) fails the apply statement; the batch is then read and
 * decided again, and the write finds the key. Any other database error in a batch of several
 * writes sends each write again on its own, so that one faulty write fails alone.
 */
@ApplicationScoped
class LedgerWriter {

    private static final Logger LOG = Logger.getLogger(LedgerWriter.class);
    /** SQLSTATE of a unique violation: here, an idempotency key stored meanwhile. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** Reading and deciding again finds the key that was taken, so one retry settles it; more is for safety. */
    private static final int KEY_CONFLICT_RETRIES_MAX = 3;
    /** SQLSTATE classes of the connection or the server as a whole rather than of one statement. */
    private static final Set<String> SERVER_ERROR_CLASSES = Set.of("08", "40", "53", "57", "58");
    /** SQLSTATE of lock_timeout: the database is busy, as for a statement timeout. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final Pool pool;
    private final LedgerWriteRepository repository;
    private final WriteDecider.Rules rules;
    private final Duration roundTripTimeout;
    private final BalanceCache cache;
    private final BonusRules bonusRules;
    private final MemberSegments memberSegments;

    LedgerWriter(Pool pool, LedgerWriteRepository repository, ProgramConfig program, DatabaseConfig database,
            BalanceCache cache, BonusRules bonusRules, MemberSegments memberSegments) {
        this.pool = pool;
        this.repository = repository;
        this.cache = cache;
        this.bonusRules = bonusRules;
        this.memberSegments = memberSegments;
        this.rules = WriteDecider.Rules.of(program);
        this.roundTripTimeout = database.roundTripTimeout();
    }

    /** The answers to {@code postings}, in their order. Fails only when the database could not be used. */
    Uni<List<PostingResult>> write(List<Posting> postings, Duration keyRetention, OffsetDateTime now) {
        return Uni.createFrom().deferred(() -> inTransaction(postings, keyRetention, now))
                .onFailure(LedgerWriter::isKeyConflict).retry().atMost(KEY_CONFLICT_RETRIES_MAX)
                .onFailure(failure -> postings.size() > 1 && isStatementError(failure))
                .recoverWithUni(failure -> oneByOne(postings, keyRetention, now, failure));
    }

    /**
     * The transaction runs to its end once started, whatever the caller's deadline: its last
     * statement commits or rolls back, and only then does the connection go back to the pool. The
     * deadline only stops the waiting (the batch answers 503; a retry replays or applies it once).
     *
     * <p>Every committed transaction sends its balances to the cache, in the background, before
     * anyone is answered: so that this instance knows them by the time a client that got its
     * answer reads its balance, and so that a transaction committing after its deadline, whose
     * writes nobody is waiting for any more, does not leave the cache with the balances before it.
     */
    private Uni<List<PostingResult>> inTransaction(List<Posting> postings, Duration keyRetention, OffsetDateTime now) {
        CompletionStage<List<PostingResult>> done = pool.getConnection()
                // Deferred: whatever fails while the transaction is being set up still rolls back and closes the connection.
                .flatMap(connection -> Uni.createFrom().deferred(() -> decideAndApply(connection, postings, keyRetention, now))
                        .onFailure().call(() -> connection.query("ROLLBACK").execute().onFailure().recoverWithNull())
                        .onTermination().call(connection::close))
                .invoke(results -> cache.storeInBackground(PostingResult.appliedAccounts(results)))
                .subscribeAsCompletionStage();
        // Not Uni.createFrom().completionStage(done): giving up on it would cancel the transaction midway.
        return Uni.createFrom().<List<PostingResult>>emitter(emitter -> done.whenComplete((results, failure) -> {
            if (failure == null) {
                emitter.complete(results);
            } else {
                emitter.fail(failure instanceof CompletionException wrapped && wrapped.getCause() != null
                        ? wrapped.getCause() : failure);
            }
        })).ifNoItem().after(roundTripTimeout).fail();
    }

    private Uni<List<PostingResult>> decideAndApply(SqlConnection connection, List<Posting> postings, Duration keyRetention,
            OffsetDateTime now) {
        PurchaseBonuses bonuses = decidesBonuses(postings) ? bonusRules.inForce() : PurchaseBonuses.NONE;
        Set<UUID> targetIds = new LinkedHashSet<>();
        postings.stream().filter(posting -> posting.memberId() == null).forEach(posting -> targetIds.add(posting.targetId()));
        Set<UUID> cancelledClaims = new TreeSet<>();
        postings.stream().filter(posting -> posting.kind() == TransferKind.REWARD_CANCELLATION)
                .forEach(posting -> cancelledClaims.add(posting.targetId()));
        return Uni.combine().all().unis(repository.targets(connection, targetIds),
                repository.rewardsOfClaims(connection, cancelledClaims)).asTuple().flatMap(found -> {
            Map<UUID, LedgerState.Target> targets = found.getItem1();
            Set<UUID> members = new LinkedHashSet<>();
            List<LedgerWriteRepository.LotNeed> needs = new ArrayList<>();
            for (Posting posting : postings) {
                UUID member = WriteDecider.memberOf(posting, targets);
                if (member != null) {
                    members.add(member);
                    WriteDecider.lotNeed(posting, member).ifPresent(needs::add);
                }
            }
            LimitedCampaigns limited = LimitedCampaigns.of(postings, bonuses, now);
            // Queued in this order on the connection, sent without waiting for one another.
            // READ COMMITTED whatever the role's default: each read must take its snapshot after the lock.
            Uni<Void> begin = connection.query("BEGIN ISOLATION LEVEL READ COMMITTED").execute().replaceWithVoid();
            Uni<Map<UUID, LedgerState.Account>> locked = repository.lockAccounts(connection, members);
            Uni<LedgerWriteRepository.BonusState> limits = limited.isEmpty()
                    ? Uni.createFrom().item(LedgerWriteRepository.BonusState.NONE)
                    : repository.readBonusState(connection, members, limited.budgeted(), limited.capped(), limited.once(),
                            limited.buyers());
            RewardsAndCauses named = RewardsAndCauses.of(postings, found.getItem2());
            Uni<LedgerState.RewardState> rewards = repository.readRewardState(connection, members, named.rewards(),
                    named.causes(), cancelledClaims, named.claimants(), named.claimed());
            Uni<LedgerWriteRepository.ReadState> read = repository.read(connection, members, postings, targets, needs,
                    now.plusDays(rules.expiringWindowDays()));
            Uni<Map<UUID, Set<UUID>>> segments = bonuses.segmentsAsked().isEmpty() ? Uni.createFrom().item(Map.of())
                    : memberSegments.admitted(connection, bonuses.segmentsAsked(), members);
            return Uni.combine().all().unis(begin, locked, limits, rewards, read, segments)
                    .with((ignored, accounts, bonusState, rewardState, state, admitted) -> state.with(accounts, bonusState, rewardState,
                            admitted))
                    .map(state -> decide(postings, targets, state, bonuses, now, rules))
                    .flatMap(decided -> Uni.combine().all()
                            .unis(repository.apply(connection, decided.effects(), keyRetention),
                                    connection.query("COMMIT").execute())
                            .with((applied, committed) -> decided.results()));
        });
    }

    /**
     * Whether a write of the batch is an earn the campaigns decide (on a purchase by the program's
     * rule, or a signup or tier reached): only those need the campaigns loaded. Redeems, holds,
     * reversals, adjustments, the jobs' writes and coupon points go through whatever their state.
     */
    private static boolean decidesBonuses(List<Posting> postings) {
        for (Posting posting : postings) {
            PostingFields fields = posting.fields();
            if (posting.kind() != TransferKind.EARN) {
                continue;
            }
            BonusOccasion occasion = fields.occasion();
            boolean byRule = (occasion == null || occasion.isPurchase()) && fields.points() == null;
            boolean rewardedOccasion = occasion != null && !occasion.isPurchase() && occasion.kind() != BonusOccasion.Kind.COUPON;
            if (byRule || rewardedOccasion) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the batch's earns may need of the campaigns' state, asked before the accounts are read:
     * the campaigns with a budget ({@code budgeted}), a per-member cap ({@code capped}) or a grant
     * once per occasion ({@code once}) that they may meet, and the members whose earns are
     * purchases when a campaign rewards a first purchase ({@code buyers}). The tier and the
     * member's history, unknown yet, are not looked at: these are all the limits the decisions can
     * spend from, and maybe a few more.
     */
    record LimitedCampaigns(Set<UUID> budgeted, Set<UUID> capped, Set<UUID> once, Set<UUID> buyers) {

        static LimitedCampaigns of(List<Posting> postings, PurchaseBonuses bonuses, OffsetDateTime now) {
            LimitedCampaigns limited = new LimitedCampaigns(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
            for (Posting posting : postings) {
                PostingFields fields = posting.fields();
                if (posting.kind() != TransferKind.EARN) {
                    continue;
                }
                boolean purchase = fields.occasion() == null || fields.occasion().isPurchase();
                if (purchase && bonuses.asksFirstPurchase()) {
                    limited.buyers.add(posting.memberId());
                }
                if (fields.occasion() != null && fields.occasion().grantorId() != null) {
                    limited.once.add(fields.occasion().grantorId());
                }
                if (fields.points() != null) {
                    continue;
                }
                EarnFacts earn = new EarnFacts(fields.occasion(), posting.memberId(), posting.partnerId(), fields.channel(),
                        fields.amount() == null ? 0 : fields.amount(), fields.items(),
                        fields.occurredAt() != null ? fields.occurredAt() : now, null, null, 0, null);
                bonuses.limitedCampaignsFor(earn).forEach(campaignId -> limited.add(campaignId, bonuses.limitOf(campaignId)));
            }
            return limited;
        }

        private void add(UUID campaignId, BonusLimit limit) {
            if (limit.isBudgeted()) {
                budgeted.add(campaignId);
            }
            if (limit.capsMembers()) {
                capped.add(campaignId);
            }
            if (limit.grantedOnce()) {
                once.add(campaignId);
            }
        }

        boolean isEmpty() {
            return budgeted.isEmpty() && capped.isEmpty() && once.isEmpty() && buyers.isEmpty();
        }
    }

    /**
     * The rewards the batch's claims name and those of the claims it cancels ({@code claimRewards},
     * found before the locks), the causes its donations name, and the members who claim and what
     * they claim (for their per-member limits); sorted, as they are locked in this order.
     */
    record RewardsAndCauses(Set<UUID> rewards, Set<UUID> causes, Set<UUID> claimants, Set<UUID> claimed) {

        static RewardsAndCauses of(List<Posting> postings, Map<UUID, UUID> claimRewards) {
            RewardsAndCauses named = new RewardsAndCauses(new TreeSet<>(claimRewards.values()), new TreeSet<>(), new TreeSet<>(),
                    new TreeSet<>());
            for (Posting posting : postings) {
                if (posting.kind() == TransferKind.REWARD_CLAIM) {
                    named.rewards.add(posting.fields().rewardId());
                    named.claimed.add(posting.fields().rewardId());
                    named.claimants.add(posting.memberId());
                } else if (posting.kind() == TransferKind.DONATION) {
                    named.causes.add(posting.fields().causeId());
                }
            }
            return named;
        }
    }

    /** A failure while deciding (a bug, or lots read short) is the batch's, like a statement error: each write is then tried alone. */
    private static WriteDecider.Decided decide(List<Posting> postings, Map<UUID, LedgerState.Target> targets,
            LedgerState state, PurchaseBonuses bonuses, OffsetDateTime now, WriteDecider.Rules rules) {
        try {
            return WriteDecider.decide(postings, targets, state, rules, bonuses, now);
        } catch (RuntimeException e) {
            throw new DecisionFailure(e);
        }
    }

    /** A batch that could not be decided; nothing was written. */
    static final class DecisionFailure extends RuntimeException {
        DecisionFailure(RuntimeException cause) {
            super("A batch could not be decided: " + cause.getMessage(), cause);
        }
    }

    /** Each write alone, in order; one that fails alone with a database error is FAILED, the others are unaffected. */
    private Uni<List<PostingResult>> oneByOne(List<Posting> postings, Duration keyRetention, OffsetDateTime now,
            Throwable batchFailure) {
        LOG.warnf("A batch of %d writes failed (%s); writing them one by one", postings.size(), batchFailure.toString());
        return Multi.createFrom().iterable(postings)
                .onItem().transformToUniAndConcatenate(posting -> write(List.of(posting), keyRetention, now)
                        .map(results -> results.get(0))
                        .onFailure(LedgerWriter::isStatementError).recoverWithItem(LedgerWriter::failed))
                .collect().asList();
    }

    private static PostingResult failed(Throwable failure) {
        if (failure instanceof PgException error) {
            LOG.errorf("Ledger write failed: %s %s", error.getSqlState(), error.getErrorMessage());
            return PostingResult.refused(PostingOutcome.FAILED,
                    new JsonObject().put("sqlState", error.getSqlState()).put("message", error.getErrorMessage()));
        }
        LOG.errorf(failure, "Ledger write failed");
        return PostingResult.refused(PostingOutcome.FAILED, new JsonObject().put("message", failure.getMessage()));
    }

    private static boolean isKeyConflict(Throwable failure) {
        return failure instanceof PgException error && UNIQUE_VIOLATION.equals(error.getSqlState())
                && error.getConstraint() != null && error.getConstraint().startsWith("idempotency_keys");
    }

    /**
     * An error the database raised for a statement (a violated check, a bug), as opposed to one of
     * the connection or of the server as a whole (connection, transaction rollback, resources,
     * operator intervention such as a shutdown), which fails the whole batch so that the callers
     * answer 503.
     */
    private static boolean isStatementError(Throwable failure) {
        if (failure instanceof DecisionFailure) {
            return true;
        }
        return failure instanceof PgException error && error.getSqlState() != null
                && !SERVER_ERROR_CLASSES.contains(error.getSqlState().substring(0, 2))
                && !LOCK_NOT_AVAILABLE.equals(error.getSqlState());
    }
}
