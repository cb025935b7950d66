package io.pointsledger.churn;

import io.pointsledger.churn.ChurnRepository.ScoringRun;
import io.pointsledger.churn.ChurnRepository.SummaryWindow;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.program.ProgramConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Churn risk: the probability that a member buys nothing in the next {@code horizonDays}, from
 * their purchase history as of a day. The model is a logistic regression the service trains from
 * its own history: the active members as they stood on a few days whose horizon has passed,
 * labelled by whether they bought within it. Scores for every member are refreshed daily.
 */
@ApplicationScoped
public class ChurnService {

    private static final Logger LOG = Logger.getLogger(ChurnService.class);
    private static final String MODELS_LIST = "churn-models";
    /** The oldest day a history is scored, trained or evaluated as of. */
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
        LocalDate day = day("asOf", asOf);
        return exclusively(fit(day)).flatMap(repository::insertModel)
                .invoke(model -> LOG.infof("Churn model %d trained as of %s on %d member snapshots (%.1f %% churned), training AUC %.3f",
                        model.version(), model.asOf(), model.trainingMembers(), 100 * model.churnShare(), model.trainingAuc()));
    }

    /**
     * The honest figure: trains as of {@code cutoff} on what was known then, scores the active
     * members as of the cutoff, and compares with what they did in the horizon after it; next to
     * the recency-only baseline (more days since the last purchase, more risk). Stores nothing.
     */
    public Uni<ChurnEvaluation> evaluate(LocalDate cutoff) {
        LocalDate latest = today().minusDays(config.horizonDays());
        if (cutoff.isAfter(latest) || cutoff.isBefore(AS_OF_MIN)) {
            throw ProblemException.invalid("cutoff", "a day from " + AS_OF_MIN + " whose horizon has passed: on or before " + latest);
        }
        return exclusively(fit(cutoff).flatMap(model -> examples(cutoff, config.trainingMembersMax())
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(examples -> evaluation(cutoff, model, examples))));
    }

    private ChurnEvaluation evaluation(LocalDate cutoff, ChurnModel model, List<PurchaseSummary> examples) {
        Instant at = startOf(cutoff);
        double[] modelScores = new double[examples.size()];
        double[] recencyScores = new double[examples.size()];
        int[] churned = new int[examples.size()];
        int churnedCount = 0;
        for (int index = 0; index < examples.size(); index++) {
            PurchaseSummary example = examples.get(index);
            modelScores[index] = model.regression().probability(example.features(at));
            recencyScores[index] = example.recencyDays(at);
            churned[index] = example.boughtInWindow() ? 0 : 1;
            churnedCount += churned[index];
        }
        if (churnedCount == 0 || churnedCount == examples.size()) {
            throw new ProblemException(ErrorCode.CHURN_TRAINING_DATA_INSUFFICIENT, "At " + cutoff + ", " + examples.size()
                    + " active members, " + churnedCount + " of whom bought nothing after: both kinds are needed to judge");
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
            chain = chain.flatMap(ignored -> examples(day, config.trainingMembersMax()).invoke(examples -> {
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
                    + " snapshots of active members on the training days, " + churnedCount + " of them churned; at least "
                    + config.trainingMembersMin() + " are needed, of both kinds");
        }
        LogisticRegression regression = LogisticRegression.fit(features, churned, config.l2Penalty());
        double[] scores = new double[features.length];
        for (int index = 0; index < features.length; index++) {
            scores[index] = regression.probability(features[index]);
        }
        return new ChurnModel(0, clock.instant(), asOf, config.horizonDays(), PurchaseSummary.FEATURES, regression, examples.size(),
                (double) churnedCount / examples.size(), RocAuc.of(scores, churned));
    }

    /**
     * The active members as of {@code day} (a purchase within {@code activeDays} before it), up to
     * {@code limit}, each with whether they bought in the horizon after it; page by page, in a loop
     * rather than a recursion, so that a million members do not nest a thousand calls.
     */
    private Uni<List<PurchaseSummary>> examples(LocalDate day, int limit) {
        Instant at = startOf(day);
        Instant activeSince = startOf(day.minusDays(config.activeDays()));
        SummaryWindow window = new SummaryWindow(at, startOf(day.plusDays(config.horizonDays())), program.timeZone());
        List<PurchaseSummary> found = new ArrayList<>();
        return pages(window, ChurnRepository.FIRST_MEMBER_BOUND)
                .invoke(page -> page.stream().filter(summary -> summary.purchases() > 0 && !summary.lastAt().isBefore(activeSince))
                        .limit(Math.max(0, limit - found.size())).forEach(found::add))
                .select().where(page -> found.size() >= limit)
                .toUni().map(ignored -> found);
    }

    /** Every page of summaries from {@code after} on, the last one short. */
    private Multi<List<PurchaseSummary>> pages(SummaryWindow window, UUID after) {
        AtomicReference<UUID> bound = new AtomicReference<>(after);
        return Multi.createBy().repeating()
                .uni(() -> repository.page(window, bound.get(), config.pageSize())
                        .invoke(page -> page.stream().reduce((first, second) -> second).ifPresent(last -> bound.set(last.memberId()))))
                .whilst(page -> page.size() == config.pageSize());
    }

    /**
     * The member's churn risk as of {@code asOf} (null: today) by the newest model; a null risk
     * for a member with no purchase before that day. Fails with MEMBER_NOT_FOUND (unknown or
     * erased) or CHURN_MODEL_MISSING.
     */
    public Uni<ChurnRisk> risk(UUID memberId, LocalDate asOf) {
        LocalDate day = day("asOf", asOf);
        Instant at = startOf(day);
        return repository.member(new SummaryWindow(at, null, program.timeZone()), memberId)
                .map(found -> found.orElseThrow(() -> new ProblemException(ErrorCode.MEMBER_NOT_FOUND, "No member " + memberId)))
                .flatMap(summary -> latestModel().map(model -> ChurnRisk.of(summary, day, at, model)));
    }

    private Uni<ChurnModel> latestModel() {
        return repository.latestModel(PurchaseSummary.FEATURES, config.horizonDays()).map(found -> found.orElseThrow(
                () -> new ProblemException(ErrorCode.CHURN_MODEL_MISSING, "No churn model of this release's features and horizon")));
    }

    public Uni<ChurnModel> model(long version) {
        return repository.model(version).map(found -> found.orElseThrow(
                () -> new ProblemException(ErrorCode.CHURN_MODEL_NOT_FOUND, "No churn model version " + version)));
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
     * unless another instance is on it or it is done for the day. Scores written stay if the
     * instance stops; the next to claim the day resumes after the last page it recorded. The
     * members scored by this call.
     */
    public Uni<Long> scoreEveryone() {
        return scoreEveryone(today());
    }

    /** {@link #scoreEveryone()} as of the start of {@code day}. */
    Uni<Long> scoreEveryone(LocalDate day) {
        return repository.latestModel(PurchaseSummary.FEATURES, config.horizonDays()).flatMap(model -> model.isEmpty()
                ? Uni.createFrom().item(0L)
                : repository.claimRun(day, model.get().version(), config.scoringTakeOverAfter().toSeconds(), UUID.randomUUID())
                        .flatMap(run -> run.isEmpty() ? Uni.createFrom().item(0L) : scoreRun(run.get())));
    }

    private Uni<Long> scoreRun(ScoringRun run) {
        return model(run.modelVersion()).flatMap(model -> answersThisRelease(model) ? scorePages(run, model) : Uni.createFrom().item(0L));
    }

    /** Scores page after page from where the run got to, until the last page or until another instance takes the run. */
    private Uni<Long> scorePages(ScoringRun run, ChurnModel model) {
        Instant at = startOf(run.asOf());
        SummaryWindow window = new SummaryWindow(at, null, program.timeZone());
        AtomicLong scored = new AtomicLong();
        UUID from = run.lastMemberId() == null ? ChurnRepository.FIRST_MEMBER_BOUND : run.lastMemberId();
        return pages(window, from)
                .onItem().transformToUniAndConcatenate(page -> savePage(run, model, at, page).invoke(ours -> {
                    if (ours) {
                        scored.addAndGet(page.stream().filter(summary -> summary.purchases() > 0).count());
                    }
                }))
                .select().where(ours -> !ours)
                .toUni().map(ignored -> scored.get());
    }

    /**
     * Whether the model answers this release's question with its features: a run another release
     * claimed is left to it.
     */
    private boolean answersThisRelease(ChurnModel model) {
        return model.featureNames().equals(PurchaseSummary.FEATURES) && model.horizonDays() == config.horizonDays();
    }

    /** Saves a page's scores and records it; false once another instance has taken the run over. */
    private Uni<Boolean> savePage(ScoringRun run, ChurnModel model, Instant at, List<PurchaseSummary> page) {
        List<ChurnScore> scores = page.stream().filter(summary -> summary.purchases() > 0)
                .map(summary -> new ChurnScore(summary.memberId(), model.version(), run.asOf(),
                        model.regression().probability(summary.features(at))))
                .toList();
        boolean last = page.size() < config.pageSize();
        Optional<UUID> lastMember = page.stream().map(PurchaseSummary::memberId).reduce((first, second) -> second);
        return repository.savePage(run, scores, lastMember.orElse(run.lastMemberId()), last);
    }

    /** Deletes the member's stored score, on {@code transaction}, the caller's own (an erasure). */
    public Uni<Void> forgetMember(SqlClient transaction, UUID memberId) {
        return repository.forgetMember(transaction, memberId);
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

    private LocalDate day(String field, LocalDate asked) {
        LocalDate today = today();
        if (asked == null) {
            return today;
        }
        if (asked.isAfter(today) || asked.isBefore(AS_OF_MIN)) {
            throw ProblemException.invalid(field, "a day from " + AS_OF_MIN + " to today (" + today + ")");
        }
        return asked;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), program.timeZone());
    }

    private Instant startOf(LocalDate day) {
        return day.atStartOfDay(program.timeZone()).toInstant();
    }
}
