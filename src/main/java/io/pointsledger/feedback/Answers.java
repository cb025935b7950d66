package io.pointsledger.feedback;

import io.pointsledger.platform.ApiLimits;
import io.pointsledger.platform.PrintableText;
import io.pointsledger.platform.ProblemException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A member's answers checked against the survey's questions, each in the one form reports read. */
final class Answers {

    /** The longest text answer. */
    static final int TEXT_LENGTH_MAX = 2000;

    private Answers() {
    }

    /**
     * The answers by question id, in the questions' order: a whole number for RATING (1–5) and NPS
     * (0–10), an option for SINGLE_CHOICE, distinct options for MULTIPLE_CHOICE, text for TEXT.
     * VALIDATION_FAILED naming {@code answers.<id>} for an unknown question, a required one left
     * out, or a value of the wrong form.
     */
    static Map<String, Object> checked(List<Question> questions, Map<String, Object> given) {
        Map<String, Question> byId = new LinkedHashMap<>();
        questions.forEach(question -> byId.put(question.id(), question));
        for (String id : given.keySet()) {
            if (!byId.containsKey(id)) {
                throw ProblemException.invalid("answers." + printable(id), "no such question in this survey");
            }
        }
        Map<String, Object> checked = new LinkedHashMap<>();
        for (Question question : questions) {
            Object value = given.get(question.id());
            if (value == null) {
                if (question.isRequired()) {
                    throw ProblemException.invalid("answers." + question.id(), "required");
                }
                continue;
            }
            checked.put(question.id(), value(question, value));
        }
        if (checked.isEmpty()) {
            throw ProblemException.invalid("answers", "answer at least one question");
        }
        return checked;
    }

    private static Object value(Question question, Object value) {
        String field = "answers." + question.id();
        return switch (question.kind()) {
            case RATING -> whole(field, value, 1, 5);
            case NPS -> whole(field, value, 0, 10);
            case SINGLE_CHOICE -> option(field, question, value);
            case MULTIPLE_CHOICE -> options(field, question, value);
            case TEXT -> text(field, value);
        };
    }

    private static int whole(String field, Object value, int minimum, int maximum) {
        if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= minimum
                && ((Number) value).longValue() <= maximum) {
            return ((Number) value).intValue();
        }
        throw ProblemException.invalid(field, "a whole number from " + minimum + " to " + maximum);
    }

    private static String option(String field, Question question, Object value) {
        if (value instanceof String text && question.options().contains(text)) {
            return text;
        }
        throw ProblemException.invalid(field, "one of the question's options");
    }

    private static List<String> options(String field, Question question, Object value) {
        if (value instanceof List<?> chosen && !chosen.isEmpty()) {
            Set<String> distinct = new LinkedHashSet<>();
            for (Object option : chosen) {
                if (!(option instanceof String text) || !question.options().contains(text) || !distinct.add(text)) {
                    throw ProblemException.invalid(field, "distinct options of the question");
                }
            }
            // In the question's order: the same choices sent in another order are the same answer.
            return question.options().stream().filter(distinct::contains).toList();
        }
        throw ProblemException.invalid(field, "a list of one or more of the question's options");
    }

    private static String text(String field, Object value) {
        if (value instanceof String text && !text.isBlank() && text.length() <= TEXT_LENGTH_MAX
                && PrintableText.isPrintable(text.replace('\n', ' ').replace('\r', ' ').replace('\t', ' '))) {
            return text;
        }
        throw ProblemException.invalid(field, "text of 1 to " + TEXT_LENGTH_MAX + " characters, no control characters but line breaks");
    }

    /** A field name safe to echo: an unknown id may hold anything. */
    private static String printable(String id) {
        String shown = id.length() > ApiLimits.NAME_LENGTH_MAX ? id.substring(0, ApiLimits.NAME_LENGTH_MAX) : id;
        return shown.codePoints().allMatch(point -> point > 0x20 && point < 0x7f) ? shown : "?";
    }
}
