package io.pointsledger.feedback;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** All SQL of surveys and their answers. */
@ApplicationScoped
class SurveyRepository {

    private static final String SURVEY_COLUMNS = "sequence, survey_id, name, trigger, segment_id, questions, reward_points, invites, status, created_at";

    private static final String INSERT_SURVEY = """
            INSERT INTO surveys (survey_id, name, trigger, segment_id, questions, reward_points, invites, status, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, 'ACTIVE', $8)
            RETURNING\s""" + SURVEY_COLUMNS;

    private static final String SURVEY = "SELECT " + SURVEY_COLUMNS + " FROM surveys WHERE survey_id = $1";

    private static final String SURVEYS = "SELECT " + SURVEY_COLUMNS + " FROM surveys WHERE sequence < $1 ORDER BY sequence DESC LIMIT $2";

    private static final String CLOSE = "UPDATE surveys SET status = 'CLOSED' WHERE survey_id = $1 RETURNING " + SURVEY_COLUMNS;

    private static final String RESPONSE_COLUMNS = """
            response_id, survey_id, member_id, target_id, store, channel, answers, submitted_at, reward_transaction_id""";

    /**
     * The answer, unless the member answered the survey about this target before, or is erased: no
     * row then. The member's row is held against an erasure until the answer is in ({@code FOR KEY
     * SHARE}; an erasure locks it for update and deletes the member's answers).
     */
    private static final String INSERT_RESPONSE = """
            WITH held AS (SELECT member_id FROM members WHERE member_id = $3 AND erased_at IS NULL FOR KEY SHARE)
            INSERT INTO survey_responses (response_id, survey_id, member_id, target_id, store, channel, answers, target_at)
            SELECT $1, $2, held.member_id, $4, $5, $6, $7, $8 FROM held
            ON CONFLICT (survey_id, member_id, target_id) DO NOTHING
            RETURNING\s""" + RESPONSE_COLUMNS;

    private static final String RESPONSE_OF = "SELECT " + RESPONSE_COLUMNS
            + " FROM survey_responses WHERE survey_id = $1 AND member_id = $2 AND target_id = $3";

    private static final String REWARDED = """
            UPDATE survey_responses SET reward_transaction_id = $3 WHERE response_id = $1 AND member_id = $2
            RETURNING\s""" + RESPONSE_COLUMNS;

    /**
     * A report's answers: of the survey, about targets of [{@code $2}, {@code $3}), at a store and
     * through a channel when asked ({@code $4}, {@code $5}); {@code $6} rows at most, without the
     * answers to the text questions {@code $7} (listed apart, and the bulk of an answer).
     */
    private static final String ANSWERS = """
            SELECT member_id, answers - $7::text[] AS answers,
                   ARRAY(SELECT question FROM jsonb_object_keys(answers) question WHERE question = ANY($7)) AS texts_answered
              FROM survey_responses
             WHERE survey_id = $1 AND target_at >= $2 AND target_at < $3
               AND ($4::text IS NULL OR store = $4) AND ($5::text IS NULL OR channel = $5)
             LIMIT $6""";

    /** Purchases in the period a PURCHASE survey follows: earns for an amount. */
    private static final String PURCHASES_IN = """
            SELECT count(*) FROM transfers
             WHERE kind = 'EARN' AND amount_minor_units > 0 AND occurred_at >= $1 AND occurred_at < $2
               AND ($3::text IS NULL OR partner_id = $3) AND ($4::text IS NULL OR channel = $4)""";

    /** Attended reservations whose slot started in the period. */
    private static final String ATTENDED_IN = """
            SELECT count(*) FROM reservations r JOIN bookables b ON b.bookable_id = r.bookable_id
             WHERE r.status = 'ATTENDED' AND r.starts_at >= $1 AND r.starts_at < $2 AND ($3::text IS NULL OR b.store = $3)""";

    /** A question's text answers, newest first, containing {@code $3} (any case) when given, before sequence {@code $4}. */
    private static final String TEXT_ANSWERS = """
            SELECT sequence, response_id, member_id, store, submitted_at, answers ->> $2 AS text FROM survey_responses
             WHERE survey_id = $1 AND sequence < $4 AND jsonb_typeof(answers -> $2) = 'string'
               AND ($3::text IS NULL OR (answers ->> $2) ILIKE '%' || $3 || '%' ESCAPE '\\')
             ORDER BY sequence DESC LIMIT $5""";

    /**
     * Invitations for the occasions given as arrays (member, target, trigger, when), each written as a
     * SURVEY_INVITATION event in the same statement, for every active survey that invites to that
     * trigger and was opened by then, under the rules an answer is judged by: the member not erased
     * (held against an erasure until the statement ends), a purchase not returned, and enough of the
     * answer window ({@code $5} days) left to answer in (half of it, a day at most). A target is
     * invited to a survey once ever; a member to a survey once in {@code $6} days, the earliest
     * occasion of a batch (each occasion when {@code $6} is 0).
     */
    private static final String INVITE = """
            WITH held AS (
                SELECT member_id FROM members WHERE member_id = ANY($1::uuid[]) AND erased_at IS NULL FOR KEY SHARE
            ), occasion AS (
                SELECT o.member_id, s.survey_id, o.target_id, o.happened_at
                  FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS o (member_id, target_id, trigger, happened_at)
                  JOIN held ON held.member_id = o.member_id
                  JOIN surveys s ON s.trigger = o.trigger AND s.invites AND s.status = 'ACTIVE' AND s.created_at <= o.happened_at
                 WHERE o.happened_at > now() - make_interval(days => $5) + make_interval(hours => LEAST(24, $5 * 12))
                   AND (o.trigger <> 'PURCHASE' OR NOT EXISTS (
                        SELECT 1 FROM transfers r WHERE r.related_transfer_id = o.target_id AND r.kind = 'REVERSAL'))
                   AND NOT EXISTS (SELECT 1 FROM survey_invitations earlier
                                    WHERE earlier.member_id = o.member_id AND earlier.survey_id = s.survey_id
                                      AND earlier.target_id = o.target_id)
            ), first_each AS (
                SELECT DISTINCT ON (member_id, survey_id, CASE WHEN $6 = 0 THEN target_id END) member_id, survey_id, target_id
                  FROM occasion
                 ORDER BY member_id, survey_id, CASE WHEN $6 = 0 THEN target_id END, happened_at
            ), invited AS (
                INSERT INTO survey_invitations (member_id, survey_id, target_id)
                SELECT f.member_id, f.survey_id, f.target_id FROM first_each f
                 WHERE NOT EXISTS (SELECT 1 FROM survey_invitations earlier
                                    WHERE earlier.member_id = f.member_id AND earlier.survey_id = f.survey_id
                                      AND earlier.invited_at > now() - make_interval(days => $6))
                ON CONFLICT DO NOTHING
                RETURNING member_id, survey_id, target_id, invited_at
            )
            INSERT INTO outbox (event_id, member_id, event_type, payload)
            SELECT gen_random_uuid(), i.member_id, 'SURVEY_INVITATION', jsonb_build_object(
                       'schemaVersion', 1, 'eventType', 'SURVEY_INVITATION', 'memberId', i.member_id, 'surveyId', s.survey_id,
                       'surveyName', s.name, 'trigger', s.trigger, 'targetId', i.target_id, 'rewardPoints', s.reward_points,
                       'invitedAt', i.invited_at)
              FROM invited i JOIN surveys s ON s.survey_id = i.survey_id""";

    private static final String FORGET_MEMBER = "DELETE FROM survey_responses WHERE member_id = $1";

    private static final String FORGET_INVITATIONS = "DELETE FROM survey_invitations WHERE member_id = $1";

    private final Pool pool;

    SurveyRepository(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    record Sequenced<T>(long sequence, T value) {
    }

    Uni<Survey> insert(SqlClient transaction, UUID surveyId, SurveyRequest request, String createdBy) {
        return transaction.preparedQuery(INSERT_SURVEY).execute(Tuple.from(Arrays.asList(surveyId, request.name(), request.trigger().name(),
                        request.segmentId(), questionsJson(request.questions()), request.rewardPointsOrNone(), request.invitesOrNot(), createdBy)))
                .map(rows -> toSurvey(rows.iterator().next()));
    }

    Uni<Optional<Survey>> find(UUID surveyId) {
        return pool.preparedQuery(SURVEY).execute(Tuple.of(surveyId)).map(SurveyRepository::firstSurvey);
    }

    Uni<Optional<Survey>> close(SqlClient transaction, UUID surveyId) {
        return transaction.preparedQuery(CLOSE).execute(Tuple.of(surveyId)).map(SurveyRepository::firstSurvey);
    }

    Uni<List<Sequenced<Survey>>> surveys(long before, int limit) {
        return pool.preparedQuery(SURVEYS).execute(Tuple.of(before, limit)).map(rows -> {
            List<Sequenced<Survey>> page = new ArrayList<>(rows.size());
            rows.forEach(row -> page.add(new Sequenced<>(row.getLong("sequence"), toSurvey(row))));
            return page;
        });
    }

    /** Where and when an answer's target happened. */
    record Place(String store, String channel, OffsetDateTime at) {
    }

    /** The answer stored; empty when the member answered the survey about the target before. */
    Uni<Optional<SurveyResponse>> insertResponse(UUID responseId, UUID surveyId, UUID memberId, UUID targetId, Place place,
            Map<String, Object> answers) {
        return pool.preparedQuery(INSERT_RESPONSE).execute(Tuple.from(Arrays.asList(responseId, surveyId, memberId, targetId, place.store(),
                        place.channel(), new JsonObject(answers), place.at())))
                .map(SurveyRepository::firstResponse);
    }

    Uni<Optional<SurveyResponse>> responseOf(UUID surveyId, UUID memberId, UUID targetId) {
        return pool.preparedQuery(RESPONSE_OF).execute(Tuple.of(surveyId, memberId, targetId)).map(SurveyRepository::firstResponse);
    }

    Uni<SurveyResponse> rewarded(SurveyResponse response, UUID transactionId) {
        return pool.preparedQuery(REWARDED).execute(Tuple.of(response.responseId(), response.memberId(), transactionId))
                .map(rows -> toResponse(rows.iterator().next()));
    }

    /** A member's answers: who gave them, and what (text answers only as the questions they answered). */
    record Answers(UUID memberId, JsonObject answers, List<String> textsAnswered) {
    }

    Uni<List<Answers>> answers(UUID surveyId, OffsetDateTime from, OffsetDateTime to, String store, String channel, int limit,
            List<String> textQuestions) {
        return pool.preparedQuery(ANSWERS).execute(Tuple.from(Arrays.asList(surveyId, from, to, store, channel, limit,
                textQuestions.toArray(String[]::new)))).map(rows -> {
            List<Answers> answers = new ArrayList<>(rows.size());
            rows.forEach(row -> answers.add(new Answers(row.getUUID("member_id"), row.getJsonObject("answers"),
                    List.of(row.getArrayOfStrings("texts_answered")))));
            return answers;
        });
    }

    Uni<Long> purchasesIn(OffsetDateTime from, OffsetDateTime to, String store, String channel) {
        return pool.preparedQuery(PURCHASES_IN).execute(Tuple.from(Arrays.asList(from, to, store, channel)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    Uni<Long> attendedIn(OffsetDateTime from, OffsetDateTime to, String store) {
        return pool.preparedQuery(ATTENDED_IN).execute(Tuple.from(Arrays.asList(from, to, store)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    Uni<List<Sequenced<TextAnswer>>> textAnswers(UUID surveyId, String questionId, String containing, long before, int limit) {
        String pattern = containing == null ? null : containing.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return pool.preparedQuery(TEXT_ANSWERS).execute(Tuple.from(Arrays.asList(surveyId, questionId, pattern, before, limit)))
                .map(rows -> {
                    List<Sequenced<TextAnswer>> page = new ArrayList<>(rows.size());
                    rows.forEach(row -> page.add(new Sequenced<>(row.getLong("sequence"), new TextAnswer(row.getUUID("response_id"),
                            row.getUUID("member_id"), row.getString("store"), row.getOffsetDateTime("submitted_at"), row.getString("text")))));
                    return page;
                });
    }

    /** Something a survey may ask a member about: a purchase or an attended reservation. */
    record Occasion(UUID memberId, UUID targetId, SurveyTrigger trigger, OffsetDateTime happenedAt) {
    }

    /** Invites the members of {@code occasions} to the surveys that ask about them; the number of invitations written. */
    Uni<Integer> invite(List<Occasion> occasions, int answerWindowDays, int quietDays) {
        int size = occasions.size();
        UUID[] members = new UUID[size];
        UUID[] targets = new UUID[size];
        String[] triggers = new String[size];
        OffsetDateTime[] happened = new OffsetDateTime[size];
        for (int index = 0; index < size; index++) {
            Occasion occasion = occasions.get(index);
            members[index] = occasion.memberId();
            targets[index] = occasion.targetId();
            triggers[index] = occasion.trigger().name();
            happened[index] = occasion.happenedAt();
        }
        Tuple arguments = Tuple.tuple();
        arguments.addArrayOfUUID(members).addArrayOfUUID(targets).addArrayOfString(triggers).addArrayOfOffsetDateTime(happened)
                .addInteger(answerWindowDays).addInteger(quietDays);
        return pool.preparedQuery(INVITE).execute(arguments).map(RowSet::rowCount);
    }

    /** Deletes the member's answers and invitations, on the caller's transaction (an erasure: free text may say who they are). */
    Uni<Void> forgetMember(SqlClient transaction, UUID memberId) {
        return transaction.preparedQuery(FORGET_MEMBER).execute(Tuple.of(memberId))
                .chain(() -> transaction.preparedQuery(FORGET_INVITATIONS).execute(Tuple.of(memberId))).replaceWithVoid();
    }

    private static JsonArray questionsJson(List<Question> questions) {
        JsonArray array = new JsonArray();
        questions.forEach(question -> array.add(new JsonObject().put("id", question.id()).put("kind", question.kind().name())
                .put("text", question.text()).put("options", question.options() == null ? null : new JsonArray(question.options()))
                .put("required", question.isRequired())));
        return array;
    }

    private static Optional<Survey> firstSurvey(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(toSurvey(rows.iterator().next()));
    }

    private static Survey toSurvey(Row row) {
        JsonArray stored = (JsonArray) row.getJson("questions");
        List<Question> questions = new ArrayList<>();
        for (int index = 0; index < stored.size(); index++) {
            JsonObject question = stored.getJsonObject(index);
            JsonArray options = question.getJsonArray("options");
            questions.add(new Question(question.getString("id"), QuestionKind.valueOf(question.getString("kind")), question.getString("text"),
                    options == null ? null : options.stream().map(String::valueOf).toList(), question.getBoolean("required")));
        }
        return new Survey(row.getUUID("survey_id"), row.getString("name"), SurveyTrigger.valueOf(row.getString("trigger")),
                row.getUUID("segment_id"), questions, row.getLong("reward_points"), row.getBoolean("invites"), SurveyStatus.valueOf(row.getString("status")),
                row.getOffsetDateTime("created_at"));
    }

    private static Optional<SurveyResponse> firstResponse(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(toResponse(rows.iterator().next()));
    }

    private static SurveyResponse toResponse(Row row) {
        return new SurveyResponse(row.getUUID("response_id"), row.getUUID("survey_id"), row.getUUID("member_id"), row.getUUID("target_id"),
                row.getString("store"), row.getString("channel"), row.getJsonObject("answers").getMap(), row.getOffsetDateTime("submitted_at"),
                row.getUUID("reward_transaction_id"));
    }
}
