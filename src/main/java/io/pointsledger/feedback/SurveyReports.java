package io.pointsledger.feedback;

import io.pointsledger.platform.Period;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A report computed from the answers read: counted here, in one pass per question. */
final class SurveyReports {

    /** CSAT counts ratings of 4 and 5 as satisfied. */
    static final int SATISFIED_FROM = 4;
    /** NPS: 9 and 10 promote, 0 to 6 detract. */
    static final int PROMOTER_FROM = 9;
    static final int DETRACTOR_UP_TO = 6;

    private SurveyReports() {
    }

    static SurveyReport of(Survey survey, Period period, String store, String channel, UUID segmentId, List<SurveyRepository.Answers> answers,
            Long eligible) {
        List<QuestionReport> questions = new ArrayList<>();
        for (Question question : survey.questions()) {
            questions.add(question(question, answers));
        }
        long responses = answers.size();
        Estimate rate = eligible == null || eligible == 0 ? null : FeedbackStatistics.wilson(Math.min(responses, eligible), eligible);
        return new SurveyReport(survey.surveyId(), period.from(), period.to(), store, channel, segmentId, responses,
                eligible, rate, questions);
    }

    private static QuestionReport question(Question question, List<SurveyRepository.Answers> answers) {
        Map<String, Long> distribution = new LinkedHashMap<>();
        switch (question.kind()) {
            case RATING -> range(distribution, 1, 5);
            case NPS -> range(distribution, 0, 10);
            case SINGLE_CHOICE, MULTIPLE_CHOICE -> question.options().forEach(option -> distribution.put(option, 0L));
            case TEXT -> { }
        }
        long answered = 0;
        long sum = 0;
        for (SurveyRepository.Answers response : answers) {
            if (question.kind() == QuestionKind.TEXT) {
                answered += response.textsAnswered().contains(question.id()) ? 1 : 0;
                continue;
            }
            Object value = response.answers().getValue(question.id());
            if (value == null) {
                continue;
            }
            answered++;
            if (value instanceof Number number) {
                sum += number.longValue();
                distribution.merge(Long.toString(number.longValue()), 1L, Long::sum);
            } else if (value instanceof JsonArray chosen) {
                chosen.forEach(option -> distribution.merge(String.valueOf(option), 1L, Long::sum));
            } else {
                distribution.merge(String.valueOf(value), 1L, Long::sum);
            }
        }
        boolean scored = question.kind() == QuestionKind.RATING || question.kind() == QuestionKind.NPS;
        Double mean = scored && answered > 0 ? (double) sum / answered : null;
        Estimate csat = question.kind() == QuestionKind.RATING
                ? FeedbackStatistics.wilson(count(distribution, SATISFIED_FROM, 5), answered) : null;
        Estimate nps = question.kind() == QuestionKind.NPS
                ? FeedbackStatistics.nps(count(distribution, PROMOTER_FROM, 10), count(distribution, 0, DETRACTOR_UP_TO), answered) : null;
        return new QuestionReport(question.id(), question.kind(), answered, distribution, mean, csat, nps);
    }

    private static void range(Map<String, Long> distribution, int from, int to) {
        for (int value = from; value <= to; value++) {
            distribution.put(Integer.toString(value), 0L);
        }
    }

    private static long count(Map<String, Long> distribution, int from, int to) {
        long count = 0;
        for (int value = from; value <= to; value++) {
            count += distribution.getOrDefault(Integer.toString(value), 0L);
        }
        return count;
    }
}
