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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The one write path of the ledger: a batch of writes of any kinds in one transaction. Find the
 * members of the holds and transfers acted on; lock every account of the batch in member order;
 * read what the writes are decided on; decide them all in Java ({@link WriteDecider}); write the
 * decisions in one statement; commit. Four round trips and one commit per batch, whatever its size.
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

    private final Pool pool;
    private final LedgerWriteRepository repository;
    private final WriteDecider.Rules rules;
    private final Duration roundTripTimeout;

    LedgerWriter(Pool pool, LedgerWriteRepository repository, ProgramConfig program, DatabaseConfig database) {
        this.pool = pool;
        this.repository = repository;
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

    private Uni<List<PostingResult>> inTransaction(List<Posting> postings, Duration keyRetention, OffsetDateTime now) {
        return pool.withTransaction(connection -> decideAndApply(connection, postings, keyRetention, now))
                .ifNoItem().after(roundTripTimeout).fail();
    }

    private Uni<List<PostingResult>> decideAndApply(SqlConnection connection, List<Posting> postings, Duration keyRetention,
            OffsetDateTime now) {
        Set<UUID> targetIds = new LinkedHashSet<>();
        postings.stream().filter(posting -> posting.memberId() == null).forEach(posting -> targetIds.add(posting.targetId()));
        return repository.targets(connection, targetIds).flatMap(targets -> {
            Set<UUID> members = new LinkedHashSet<>();
            Set<UUID> debited = new LinkedHashSet<>();
            for (Posting posting : postings) {
                UUID member = WriteDecider.memberOf(posting, targets);
                if (member != null) {
                    members.add(member);
                    if (mayDebit(posting.kind())) {
                        debited.add(member);
                    }
                }
            }
            return repository.lockAccounts(connection, members)
                    .flatMap(accounts -> repository.read(connection, accounts, postings, debited,
                            now.plusDays(rules.expiringWindowDays())))
                    .map(state -> WriteDecider.decide(postings, targets, state, rules, now))
                    .flatMap(decided -> repository.apply(connection, decided.effects(), keyRetention).replaceWith(decided.results()));
        });
    }

    /** Kinds that may take points from lots, so whose members' lots are all read. */
    private static boolean mayDebit(TransferKind kind) {
        return kind != TransferKind.EARN && kind != TransferKind.HOLD && kind != TransferKind.VOID
                && kind != TransferKind.HOLD_EXPIRED;
    }

    /** Each write alone, in order; one that fails alone with a database error is FAILED, the others are unaffected. */
    private Uni<List<PostingResult>> oneByOne(List<Posting> postings, Duration keyRetention, OffsetDateTime now,
            Throwable batchFailure) {
        LOG.warnf("A batch of %d writes failed (%s); writing them one by one", postings.size(), batchFailure.toString());
        return Multi.createFrom().iterable(postings)
                .onItem().transformToUniAndConcatenate(posting -> write(List.of(posting), keyRetention, now)
                        .map(results -> results.get(0))
                        .onFailure(LedgerWriter::isStatementError).recoverWithItem(failure -> failed(failure)))
                .collect().asList();
    }

    private static PostingResult failed(Throwable failure) {
        PgException error = (PgException) failure;
        LOG.errorf("Ledger write failed: %s %s", error.getSqlState(), error.getErrorMessage());
        return new PostingResult(PostingOutcome.FAILED, null,
                new JsonObject().put("sqlState", error.getSqlState()).put("message", error.getErrorMessage()), null);
    }

    private static boolean isKeyConflict(Throwable failure) {
        return failure instanceof PgException error && UNIQUE_VIOLATION.equals(error.getSqlState())
                && error.getConstraint() != null && error.getConstraint().startsWith("idempotency_keys");
    }

    /**
     * An error the database raised for a statement (a violated check, a bug), as opposed to one of
     * the connection or of the server as a whole (class 08 connection, 53 resources, 57 operator
     * intervention, such as a shutdown), which fails the whole batch so that the callers answer 503.
     */
    private static boolean isStatementError(Throwable failure) {
        if (!(failure instanceof PgException error) || error.getSqlState() == null) {
            return false;
        }
        String errorClass = error.getSqlState().substring(0, 2);
        return !Set.of("08", "53", "57", "40").contains(errorClass);
    }
}
