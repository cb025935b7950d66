package io.pointsledger.feedback;

import io.pointsledger.audit.AuditAction;
import io.pointsledger.audit.AuditLog;
import io.pointsledger.communication.AnnouncementAudience;
import io.pointsledger.communication.AnnouncementRequest;
import io.pointsledger.communication.AnnouncementService;
import io.pointsledger.communication.NoticeWords;
import io.pointsledger.ledger.AdjustmentRequest;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.ledger.MemberSegments;
import io.pointsledger.ledger.TransferKind;
import io.pointsledger.ledger.TransferView;
import io.pointsledger.partners.Caller;
import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.Paging;
import io.pointsledger.platform.Period;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.platform.TimeOrderedIds;
import io.pointsledger.reservations.ReservationService;
import io.pointsledger.reservations.ReservationStatus;
import io.pointsledger.segments.SegmentService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Surveys and members' answers: one answer per member, survey and target, paid the survey's points
 * once through the ledger (an ADJUSTMENT under a key derived from the survey and target, so that a
 * retry pays nothing more), and reported with 95 % intervals.
 */
@ApplicationScoped
public class SurveyService {

    private static final String SURVEY_LIST = "surveys";
    private static final String TEXT_LIST = "survey-text-answers";

    private final SurveyRepository repository;
    private final LedgerService ledger;
    private final ReservationService reservations;
    private final SegmentService segments;
    private final MemberSegments memberSegments;
    private final AnnouncementService announcements;
    private final AuditLog audit;
    private final FeedbackConfig config;
    private final Clock clock;

    SurveyService(SurveyRepository repository, LedgerService ledger, ReservationService reservations, SegmentService segments,
            MemberSegments memberSegments, AnnouncementService announcements, AuditLog audit, FeedbackConfig config, Clock clock) {
        this.repository = repository;
        this.ledger = ledger;
        this.reservations = reservations;
        this.segments = segments;
        this.memberSegments = memberSegments;
        this.announcements = announcements;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    /** An answer, and whether it answers a retry. */
    public record Answered(SurveyResponse response, boolean replayed) {
    }

    /** Fails with VALIDATION_FAILED or SEGMENT_NOT_FOUND. */
    public Uni<Survey> create(Caller actor, SurveyRequest request) {
        requireQuestions(request.questions());
        if ((request.trigger() == SurveyTrigger.SEGMENT) != (request.segmentId() != null)) {
            throw ProblemException.invalid("segmentId", "a SEGMENT survey names its segment, and only it");
        }
        if (request.trigger() == SurveyTrigger.SEGMENT && request.invitesOrNot()) {
            throw ProblemException.invalid("invites", "a SEGMENT survey's members are invited with POST /v1/admin/surveys/{surveyId}/invitations");
        }
        UUID surveyId = TimeOrderedIds.next(clock.millis());
        Uni<Void> segmentKnown = request.segmentId() == null ? Uni.createFrom().voidItem() : segments.requireExists(request.segmentId());
        return segmentKnown.chain(() -> repository.pool().withTransaction(transaction -> repository
                .insert(transaction, surveyId, request, actor.partnerId())
                .call(survey -> audited(transaction, actor, AuditAction.SURVEY_CREATED, survey))));
    }

    /** Fails with SURVEY_NOT_FOUND. */
    public Uni<Survey> find(UUID surveyId) {
        return repository.find(surveyId).map(found -> found.orElseThrow(() -> notFound(surveyId)));
    }

    public Uni<SurveyPage> page(String cursor, String limit) {
        int size = Paging.pageSize(limit, config.pageSizeDefault(), FeedbackConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(SURVEY_LIST, cursor);
        return repository.surveys(before, size + 1).map(rows -> {
            boolean more = rows.size() > size;
            List<SurveyRepository.Sequenced<Survey>> page = more ? rows.subList(0, size) : rows;
            return new SurveyPage(page.stream().map(SurveyRepository.Sequenced::value).toList(),
                    more ? Paging.encodeCursor(SURVEY_LIST, page.get(page.size() - 1).sequence()) : null);
        });
    }

    /** Closes the survey for good; closing a closed one changes nothing. Fails with SURVEY_NOT_FOUND. */
    public Uni<Survey> close(Caller actor, UUID surveyId) {
        return repository.pool().withTransaction(transaction -> repository.close(transaction, surveyId)
                .map(found -> found.orElseThrow(() -> notFound(surveyId)))
                .call(survey -> audited(transaction, actor, AuditAction.SURVEY_CLOSED, survey)));
    }

    /**
     * Invites the members of a SEGMENT survey's segment through an announcement to that segment, in
     * the operator's words or the program's. Idempotent under the key as an announcement is. Fails
     * with SURVEY_NOT_FOUND, SURVEY_CLOSED, VALIDATION_FAILED (not a SEGMENT survey; contents
     * without a default language) or what making an announcement fails with.
     */
    public Uni<AnnouncementService.Created> inviteSegment(Caller actor, UUID surveyId, String idempotencyKey,
            SurveyInvitationRequest request) {
        if ((request.contents() == null) != (request.defaultLanguage() == null)) {
            throw ProblemException.invalid("defaultLanguage", "with contents, and only with them");
        }
        return find(surveyId).flatMap(survey -> {
            if (survey.trigger() != SurveyTrigger.SEGMENT) {
                throw ProblemException.invalid("surveyId", "a SEGMENT survey: a " + survey.trigger()
                        + " survey invites after each target when opened with invites");
            }
            if (survey.status() != SurveyStatus.ACTIVE) {
                throw new ProblemException(ErrorCode.SURVEY_CLOSED, "Survey " + surveyId + " is closed");
            }
            boolean ownWords = request.contents() != null;
            AnnouncementRequest announcement = new AnnouncementRequest(
                    ownWords ? request.contents() : NoticeWords.surveyInvitation(survey.name(), survey.rewardPoints()),
                    ownWords ? request.defaultLanguage() : NoticeWords.DEFAULT_LANGUAGE,
                    new AnnouncementAudience(null, survey.segmentId()), request.importance());
            return announcements.create(actor, idempotencyKey, announcement);
        });
    }

    /**
     * The member's answer about the target, paid the survey's points once. The same answer again
     * answers what it stored (replayed), even once the survey is closed or the target's window has
     * passed; another one is SURVEY_ALREADY_ANSWERED. Fails with MEMBER_NOT_FOUND (unknown or
     * erased), SURVEY_NOT_FOUND, SURVEY_CLOSED, VALIDATION_FAILED, SURVEY_TARGET_NOT_FOUND or
     * SURVEY_TARGET_NOT_ELIGIBLE.
     */
    public Uni<Answered> respond(Caller caller, UUID memberId, ResponseRequest request) {
        return ledger.balance(memberId).chain(() -> find(request.surveyId())).flatMap(survey -> {
            Map<String, Object> answers = Answers.checked(survey.questions(), request.answers());
            UUID targetId = targetIdOf(survey, request.targetId());
            return repository.responseOf(survey.surveyId(), memberId, targetId)
                    .flatMap(earlier -> earlier.isPresent() ? Uni.createFrom().item(replay(earlier.get(), answers))
                            : firstAnswer(caller, survey, memberId, targetId, answers))
                    .flatMap(answered -> rewarded(survey, answered));
        });
    }

    private Uni<Answered> firstAnswer(Caller caller, Survey survey, UUID memberId, UUID targetId, Map<String, Object> answers) {
        if (survey.status() != SurveyStatus.ACTIVE) {
            throw new ProblemException(ErrorCode.SURVEY_CLOSED, "Survey " + survey.surveyId() + " is closed");
        }
        return place(caller, survey, memberId, targetId).flatMap(place -> repository
                .insertResponse(TimeOrderedIds.next(clock.millis()), survey.surveyId(), memberId, targetId, place, answers)
                .flatMap(stored -> stored.isPresent() ? Uni.createFrom().item(new Answered(stored.get(), false))
                        // Taken meanwhile by the same answer made twice at once, or no row: the member was erased.
                        : repository.responseOf(survey.surveyId(), memberId, targetId).map(again -> replay(again
                                .orElseThrow(() -> LedgerService.memberNotFound(memberId)), answers))));
    }

    /** The target an answer names: the purchase or reservation given, or the survey itself for a segment's. */
    private static UUID targetIdOf(Survey survey, UUID targetId) {
        if (survey.trigger() == SurveyTrigger.SEGMENT) {
            if (targetId != null && !targetId.equals(survey.surveyId())) {
                throw ProblemException.invalid("targetId", "none, or the survey's own id, for a survey sent to a segment");
            }
            return survey.surveyId();
        }
        if (targetId == null) {
            throw ProblemException.invalid("targetId", "the purchase's transactionId or the reservation's reservationId");
        }
        return targetId;
    }

    /** Where and when the target happened, once it is found to be one the survey asks this member about. */
    private Uni<SurveyRepository.Place> place(Caller caller, Survey survey, UUID memberId, UUID targetId) {
        return switch (survey.trigger()) {
            case PURCHASE -> purchase(caller, survey, memberId, targetId);
            case RESERVATION_ATTENDED -> attended(survey, memberId, targetId);
            case SEGMENT -> inSegment(survey, memberId);
        };
    }

    /**
     * A purchase of the member's (an earn for an amount), made at the caller's till unless the
     * caller sees every partner, not reversed, since the survey opened and within the answer window.
     */
    private Uni<SurveyRepository.Place> purchase(Caller caller, Survey survey, UUID memberId, UUID transactionId) {
        return ledger.transfer(caller, transactionId)
                .onFailure(failure -> failure instanceof ProblemException problem && problem.code() == ErrorCode.TRANSFER_NOT_FOUND)
                .transform(failure -> targetNotFound(transactionId))
                .map(detail -> {
                    TransferView transfer = detail.transfer();
                    if (!detail.memberId().equals(memberId)) {
                        throw targetNotFound(transactionId);
                    }
                    if (transfer.kind() != TransferKind.EARN || transfer.amount() == null || transfer.amount().value() <= 0) {
                        throw notEligible("Transaction " + transactionId + " is no purchase");
                    }
                    if (!detail.reversals().isEmpty()) {
                        throw notEligible("Purchase " + transactionId + " was returned");
                    }
                    requireWithinWindow(survey, transfer.occurredAt(), transactionId);
                    return new SurveyRepository.Place(detail.partnerId(), transfer.channel(), transfer.occurredAt());
                });
    }

    private Uni<SurveyRepository.Place> attended(Survey survey, UUID memberId, UUID reservationId) {
        return reservations.reservation(memberId, reservationId)
                .onFailure(failure -> failure instanceof ProblemException problem && problem.code() == ErrorCode.RESERVATION_NOT_FOUND)
                .transform(failure -> targetNotFound(reservationId))
                .map(reservation -> {
                    if (reservation.status() != ReservationStatus.ATTENDED) {
                        throw notEligible("Reservation " + reservationId + " is " + reservation.status() + ", not ATTENDED");
                    }
                    requireWithinWindow(survey, reservation.endsAt(), reservationId);
                    return new SurveyRepository.Place(reservation.store(), null, reservation.startsAt());
                });
    }

    /** A target of the survey's time: not before it opened (no points for old purchases), not older than the answer window. */
    private void requireWithinWindow(Survey survey, OffsetDateTime happened, UUID targetId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (happened.isBefore(survey.createdAt()) || happened.isBefore(now.minusDays(config.answerWindowDays()))) {
            throw notEligible(targetId + " is from before the survey opened, or more than " + config.answerWindowDays() + " days ago");
        }
    }

    /** A segment's survey is answered once, about itself, by a member the segment admits when they answer. */
    private Uni<SurveyRepository.Place> inSegment(Survey survey, UUID memberId) {
        return segments.admits(survey.segmentId(), memberId).map(admitted -> {
            if (!admitted) {
                throw notEligible("The survey's segment does not admit member " + memberId);
            }
            return new SurveyRepository.Place(null, null, OffsetDateTime.now(clock));
        });
    }

    private static Answered replay(SurveyResponse earlier, Map<String, Object> answers) {
        if (!new JsonObject(earlier.answers()).equals(new JsonObject(answers))) {
            throw new ProblemException(ErrorCode.SURVEY_ALREADY_ANSWERED, "The member answered this survey about this target already");
        }
        return new Answered(earlier, true);
    }

    /**
     * Pays the survey's points if it gives any and they are not recorded as paid. The transfer is
     * looked for under its key first (the ledger keeps a transfer's key after the key's stored
     * answer is purged), so that an answer whose record of payment was lost is never paid twice.
     */
    private Uni<Answered> rewarded(Survey survey, Answered answered) {
        SurveyResponse response = answered.response();
        if (survey.rewardPoints() == 0 || response.rewardTransactionId() != null) {
            return Uni.createFrom().item(answered);
        }
        String key = "survey:" + survey.surveyId() + ":" + response.targetId();
        return ledger.operatorTransfersWrittenUnder(List.of(response.memberId()), List.of(key)).flatMap(written -> {
            UUID paid = written.get(List.of(response.memberId(), key));
            Uni<UUID> transaction = paid != null ? Uni.createFrom().item(paid)
                    : ledger.adjust(Caller.OPERATOR, response.memberId(), key,
                            new AdjustmentRequest(survey.rewardPoints(), "Answered survey " + survey.name(), false))
                            .map(posted -> posted.receipt().transactionId());
            return transaction.flatMap(transactionId -> repository.rewarded(response, transactionId));
        }).map(paid -> new Answered(paid, answered.replayed()));
    }

    /**
     * The survey's answers about targets of the period, at a store, through a channel, by members of a
     * segment (each when asked): per question the distribution, mean, CSAT and NPS with 95 %
     * intervals, and the response rate against the targets the survey follows in the period.
     * Fails with SURVEY_NOT_FOUND, SEGMENT_NOT_FOUND or VALIDATION_FAILED (a bad period, or more
     * answers than reportResponsesMax).
     */
    public Uni<SurveyReport> report(UUID surveyId, String fromText, String toText, String store, String channel, UUID segmentId) {
        Period period = Period.parse(fromText, toText, Duration.ofDays(config.reportDaysMax()));
        Uni<Void> segmentKnown = segmentId == null ? Uni.createFrom().voidItem() : segments.requireExists(segmentId);
        return find(surveyId).call(() -> segmentKnown).flatMap(survey -> repository
                .answers(surveyId, period.from(), period.to(), store, channel, config.reportResponsesMax() + 1, textQuestions(survey))
                .flatMap(answers -> {
                    if (answers.size() > config.reportResponsesMax()) {
                        throw ProblemException.invalid("from", "more than " + config.reportResponsesMax()
                                + " answers: ask for a shorter period, a store or a channel");
                    }
                    return inSegment(answers, segmentId).flatMap(kept -> eligible(survey, period, store, channel, segmentId)
                            .map(eligible -> SurveyReports.of(survey, period, store, channel, segmentId, kept, eligible)));
                }));
    }

    private static List<String> textQuestions(Survey survey) {
        return survey.questions().stream().filter(question -> question.kind() == QuestionKind.TEXT).map(Question::id).toList();
    }

    private Uni<List<SurveyRepository.Answers>> inSegment(List<SurveyRepository.Answers> answers, UUID segmentId) {
        if (segmentId == null || answers.isEmpty()) {
            return Uni.createFrom().item(answers);
        }
        Set<UUID> members = new HashSet<>();
        answers.forEach(answer -> members.add(answer.memberId()));
        return memberSegments.admitted(repository.pool(), Set.of(segmentId), members)
                .map(admitted -> answers.stream().filter(answer -> admitted.containsKey(answer.memberId())).toList());
    }

    /**
     * How many could have answered: the targets the survey follows in the period; null when that
     * cannot be told (a segment's members asked of any other segment than the survey's own).
     */
    private Uni<Long> eligible(Survey survey, Period period, String store, String channel, UUID segmentId) {
        if (segmentId != null && !segmentId.equals(survey.segmentId())) {
            return Uni.createFrom().nullItem();
        }
        return switch (survey.trigger()) {
            case PURCHASE -> repository.purchasesIn(period.from(), period.to(), store, channel);
            case RESERVATION_ATTENDED -> channel != null ? Uni.createFrom().item(0L) : repository.attendedIn(period.from(), period.to(), store);
            case SEGMENT -> store != null || channel != null ? Uni.createFrom().nullItem()
                    : segments.details(survey.segmentId()).map(details -> details.memberCount());
        };
    }

    /** A question's text answers, newest first, containing {@code search} (any case) when given. */
    public Uni<TextAnswerPage> textAnswers(UUID surveyId, String questionId, String search, String cursor, String limit) {
        int size = Paging.pageSize(limit, config.pageSizeDefault(), FeedbackConfig.PAGE_SIZE_MAX);
        long before = Paging.decodeCursor(TEXT_LIST, cursor);
        if (search != null && (search.length() > 100 || search.chars().anyMatch(Character::isISOControl))) {
            throw ProblemException.invalid("search", "at most 100 characters, no control characters");
        }
        return find(surveyId).flatMap(survey -> {
            boolean isText = survey.questions().stream().anyMatch(question -> question.id().equals(questionId)
                    && question.kind() == QuestionKind.TEXT);
            if (!isText) {
                throw ProblemException.invalid("question", "the id of one of the survey's TEXT questions");
            }
            return repository.textAnswers(surveyId, questionId, search == null || search.isEmpty() ? null : search, before, size + 1);
        }).map(rows -> {
            boolean more = rows.size() > size;
            List<SurveyRepository.Sequenced<TextAnswer>> page = more ? rows.subList(0, size) : rows;
            return new TextAnswerPage(page.stream().map(SurveyRepository.Sequenced::value).toList(),
                    more ? Paging.encodeCursor(TEXT_LIST, page.get(page.size() - 1).sequence()) : null);
        });
    }

    /** Deletes the member's answers and invitations, on {@code transaction}, the caller's own (an erasure). */
    public Uni<Void> forgetMember(SqlClient transaction, UUID memberId) {
        return repository.forgetMember(transaction, memberId);
    }

    private static void requireQuestions(List<Question> questions) {
        Set<String> ids = new HashSet<>();
        for (int index = 0; index < questions.size(); index++) {
            Question question = questions.get(index);
            if (!ids.add(question.id())) {
                throw ProblemException.invalid("questions[" + index + "].id", "used by another question");
            }
            if (question.isChoice() != (question.options() != null)) {
                throw ProblemException.invalid("questions[" + index + "].options", "for a choice, and only for one");
            }
            if (question.options() != null && new HashSet<>(question.options()).size() != question.options().size()) {
                throw ProblemException.invalid("questions[" + index + "].options", "distinct");
            }
        }
    }

    private Uni<Void> audited(SqlClient transaction, Caller actor, AuditAction action, Survey survey) {
        return audit.record(transaction, actor.auditActor(), action, survey.surveyId().toString(),
                Map.of("name", survey.name(), "trigger", survey.trigger().name()));
    }

    private static ProblemException notFound(UUID surveyId) {
        return new ProblemException(ErrorCode.SURVEY_NOT_FOUND, "No survey " + surveyId);
    }

    private static ProblemException targetNotFound(UUID targetId) {
        return new ProblemException(ErrorCode.SURVEY_TARGET_NOT_FOUND, "No purchase or reservation " + targetId + " of this member");
    }

    private static ProblemException notEligible(String why) {
        return new ProblemException(ErrorCode.SURVEY_TARGET_NOT_ELIGIBLE, why);
    }
}
