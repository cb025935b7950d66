package io.pointsledger.churn;

import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.program.ProgramConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.jboss.logging.Logger;

/**
 * Churn risk: the probability that a member buys nothing in the next {@code horizonDays}, from
 * their purchase history as of a day. The model is a logistic regression the service trains from
 * its own history: members as they stood at a few days whose horizon has passed, labelled by
 * whether they bought within it. Scores for every member are refreshed nightly.
 */
@ApplicationScoped
public class ChurnService {

    private static final Logger LOG = Logger.getLogger(ChurnService.class);
    private static final String MODELS_LIST = "churn-models";
    /** The oldest day a history is scored or evaluated as of. */
    static final LocalDate AS_OF_MIN = LocalDate.of(1900, 1, 1);

    private final ChurnRepository repository;
    private final ChurnConfig config;
    private final ProgramConfig program;
    private final Clock clock;
    private final Semaphore training = new Semaphore(1);

    ChurnService(ChurnRepository repository, ChurnConfig config, ProgramConfig program, Clock clock) {
        this.repository = repository;
        this.config = config;
        this.program = program;
        this.clock = clock;
    }

    /**
     * Trains and stores a new model version from the history known as of {@code asOf} (null:
     * today). One training or evaluation at a time per instance: fitting takes a worker thread for
     * seconds, and a second one asked meanwhile would only compete with it.
     */
    public Uni<ChurnModel> train(LocalDate asOf) {
        LocalDate day = asOfOrToday(asOf);
        return exclusively(fit(day)).flatMap(fitted -> repository.insertModel(fitted))
                .invoke(model -> LOG.infof("Churn model %d trained as of %s on %d members (%.1f %% churned), training AUC %.3f",
                        model.version(), model.asOf(), model.trainingMembers(), 100 * model.churnShare(), model.trainingAuc()));
    }

    /**
     * The honest figure: trains as of {@code cutoff} on what was known then, scores every member
     * as of the cutoff, and compares with what they did in the horizon after it; next to the
     * recency-only baseline (more days since the last purchase, more risk). Stores nothing.
     */
    public Uni<ChurnEvaluation> evaluate(LocalDate cutoff) {
        LocalDate latest = today().minusDays(config.horizonDays());
        if (cutoff.isAfter(latest)) {
            throw ProblemException.invalid("cutoff", "the horizon after it must have passed: on or before " + latest);
        }
        Instant at = startOf(cutoff);
        return exclusively(fit(cutoff).flatMap(model -> examples(at, startOf(cutoff.plusDays(config.horizonDays())),
                        config.trainingMembersMax())
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(examples -> evaluation(cutoff, model, examples))));
    }

    /** Runs {@code work} unless another training or evaluation is running here (CHURN_TRAINING_IN_PROGRESS). */
    private <T> Uni<T> exclusively(Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            if (!training.tryAcquire()) {
                return Uni.createFrom().failure(new ProblemException(ErrorCode.CHURN_TRAINING_IN_PROGRESS,
                        "Another training or evaluation is running on this instance"));
            }
            return work.onTermination().invoke(training::release);
        });
    }

    private ChurnEvaluation evaluation(LocalDate cutoff, ChurnModel model, List<PurchaseSummary> examples) {
        Instant at = startOf(cutoff);
        double[] modelScores = new double[examples.size()];
        double[] recencyScores = new double[examples.size()];
        int[] churned = new int[examples.size()];
        for (int index = 0; index < examples.size(); index++) {
            PurchaseSummary example = examples.get(index);
            modelScores[index] = model.regression().probability(example.features(at));
            recencyScores[index] = example.recencyDays(at);
            churned[index] = example.boughtInWindow() ? 0 : 1;
        }
        int churnedCount = (int) java.util.Arrays.stream(churned).filter(label -> label == 1).count();
        if (churnedCount == 0 || churnedCount == examples.size()) {
            throw new ProblemException(ErrorCode.CHURN_TRAINING_DATA_INSUFFICIENT,
                    "After " + cutoff + ", every member scored " + (churnedCount == 0 ? "bought again" : "churned"));
        }
        return new ChurnEvaluation(cutoff, config.horizonDays(), model.trainingMembers(), examples.size(), churnedCount,
                RocAuc.of(modelScores, churned), RocAuc.of(recencyScores, churned), model.regression().weights().length);
    }

    /** A model fitted on the snapshots before {@code asOf}, not stored (version 0). */
    private Uni<ChurnModel> fit(LocalDate asOf) {
        LocalDate latestSnapshot = asOf.minusDays(config.horizonDays());
        List<PurchaseSummary> all = new ArrayList<>();
        List<Instant> snapshotTimes = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int snapshot = 0; snapshot < config.trainingSnapshots(); snapshot++) {
            LocalDate day = latestSnapshot.minusDays((long) snapshot * config.snapshotSpacingDays());
            chain = chain.flatMap(ignored -> examples(startOf(day), startOf(day.plusDays(config.horizonDays())),
                    config.trainingMembersMax()).invoke(examples -> {
                        all.addAll(examples);
                        examples.forEach(example -> snapshotTimes.add(startOf(day)));
                    }).replaceWithVoid());
        }
        // Fitting is seconds of arithmetic: on a worker thread, never the event loop.
        return chain.emitOn(Infrastructure.getDefaultWorkerPool()).map(ignored -> fitted(asOf, all, snapshotTimes));
    }

    private ChurnModel fitted(LocalDate asOf, List<PurchaseSummary> examples, List<Instant> times) {
        double[][] features = new double[examples.size()][];
        int[] churned = new int[examples.size()];
        int churnedCount = 0;
        for (int index = 0; index < examples.size(); index++) {
            features[index] = examples.get(index).features(times.get(index));
            churned[index] = examples.get(index).boughtInWindow() ? 0 : 1;
            churnedCount += churned[index];
        }
        if (examples.size() < config.trainingMembersMin() || churnedCount == 0 || churnedCount == examples.size()) {
            throw new ProblemException(ErrorCode.CHURN_TRAINING_DATA_INSUFFICIENT, "As of " + asOf + ": " + examples.size()
                    + " members with purchases before a training day, " + churnedCount + " of them churned; at least "
                    + config.trainingMembersMin() + " are needed, of both kinds");
        }
        LogisticRegression regression = LogisticRegression.fit(features, churned, config.l2Penalty());
        double[] scores = new double[features.length];
        for (int index = 0; index < features.length; index++) {
            scores[index] = regression.probability(features[index]);
        }
        return new ChurnModel(0, clock.instant(), asOf, PurchaseSummary.FEATURES, regression, examples.size(),
                (double) churnedCount / examples.size(), RocAuc.of(scores, churned));
    }

    /** Members with a purchase before {@code at}, up to {@code limit}, each with whether they bought before {@code windowEnd}. */
    private Uni<List<PurchaseSummary>> examples(Instant at, Instant windowEnd, int limit) {
        return collect(at, windowEnd, null, limit, new ArrayList<>());
    }

    private Uni<List<PurchaseSummary>> collect(Instant at, Instant windowEnd, UUID after, int limit, List<PurchaseSummary> found) {
        return repository.summaries(at, windowEnd, null, after, config.pageSize()).flatMap(page -> {
            page.stream().filter(summary -> summary.purchases() > 0).limit(limit - found.size()).forEach(found::add);
            if (page.size() < config.pageSize() || found.size() >= limit) {
                return Uni.createFrom().item(found);
            }
            return collect(at, windowEnd, page.get(page.size() - 1).memberId(), limit, found);
        });
    }

    /**
     * The member's churn risk as of {@code asOf} (null: today) by the newest model; a null risk
     * for a member with no purchase before that day. Fails with MEMBER_NOT_FOUND (unknown or
     * erased) or CHURN_MODEL_MISSING.
     */
    public Uni<ChurnRisk> risk(UUID memberId, LocalDate asOf) {
        LocalDate day = asOfOrToday(asOf);
        Instant at = startOf(day);
        return repository.latestModel().flatMap(model -> model.isEmpty()
                ? Uni.createFrom().failure(new ProblemException(ErrorCode.CHURN_MODEL_MISSING, "No churn model is trained yet"))
                : repository.summaries(at, null, List.of(memberId), null, 1).map(found -> {
                    if (found.isEmpty()) {
                        throw new ProblemException(ErrorCode.MEMBER_NOT_FOUND, "No member " + memberId);
                    }
                    return ChurnRisk.of(found.get(0), day, at, model.get(), config.horizonDays());
                }));
    }

    public Uni<ChurnModel> model(long version) {
        return repository.model(version).map(found -> found.orElseThrow(() -> new ProblemException(ErrorCode.CHURN_MODEL_NOT_FOUND, "No churn model version " + version)));
    }

    public Uni<ChurnModelPage> models(String cursor, String limit) {
        int size = Paging.pageSize(limit, config.modelsPageSizeDefault(), ChurnConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(MODELS_LIST, cursor);
        return repository.models(before == Long.MAX_VALUE ? null : before, size + 1).map(models -> {
            boolean more = models.size() > size;
            List<ChurnModel> page = more ? models.subList(0, size) : models;
            return new ChurnModelPage(page.stream().map(ChurnModelView::of).toList(),
                    more ? Paging.encodeCursor(MODELS_LIST, page.get(page.size() - 1).version()) : null);
        });
    }

    /**
     * Scores every member with a purchase as of today's start by the newest model, page by page,
     * unless another instance is on it or it is done for the day. Scores already written stay if
     * the instance stops; the next to claim the day resumes after the last page it recorded.
     */
    public Uni<Long> scoreEveryone() {
        return scoreEveryone(today());
    }

    /** {@link #scoreEveryone()} as of the start of {@code day}. */
    Uni<Long> scoreEveryone(LocalDate day) {
        return repository.latestModel().flatMap(model -> model.isEmpty()
                ? Uni.createFrom().item(0L)
                : repository.claimRun(day, model.get().version(), config.scoringTakeOverAfter().toSeconds())
                        .flatMap(run -> run.isEmpty()
                                ? Uni.createFrom().item(0L)
                                : model(run.get().modelVersion()).flatMap(chosen -> scorePages(day, chosen, run.get().lastMemberId(), 0))));
    }

    private Uni<Long> scorePages(LocalDate day, ChurnModel model, UUID after, long scored) {
        Instant at = startOf(day);
        return repository.summaries(at, null, null, after, config.pageSize()).flatMap(page -> {
            List<ChurnScore> scores = page.stream().filter(summary -> summary.purchases() > 0)
                    .map(summary -> new ChurnScore(summary.memberId(), model.version(), day,
                            model.regression().probability(summary.features(at))))
                    .toList();
            boolean last = page.size() < config.pageSize();
            UUID lastMember = page.isEmpty() ? after : page.get(page.size() - 1).memberId();
            return repository.saveScores(scores).flatMap(saved -> repository.advanceRun(day, lastMember, scores.size(), last))
                    .flatMap(advanced -> last
                            ? Uni.createFrom().item(scored + scores.size())
                            : scorePages(day, model, lastMember, scored + scores.size()));
        });
    }

    private LocalDate asOfOrToday(LocalDate asOf) {
        LocalDate today = today();
        if (asOf == null) {
            return today;
        }
        if (asOf.isAfter(today) || asOf.isBefore(AS_OF_MIN)) {
            throw ProblemException.invalid("asOf", "a day from " + AS_OF_MIN + " to today (" + today + ")");
        }
        return asOf;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), program.timeZone());
    }

    private Instant startOf(LocalDate day) {
        return day.atStartOfDay(program.timeZone()).toInstant();
    }
}
