package io.pointsledger.segments;

import io.pointsledger.platform.ApiLimits;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.segments.SegmentAttribute.ValueKind;
import io.pointsledger.tiers.Tier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A segment rule, parsed and checked, such as {@code R>=4 AND F>=4},
 * {@code region = 'Seoul' AND age 20-29} or {@code churnRisk >= 0.7 OR NOT tier IN ('GOLD')}.
 *
 * <p>Grammar (keywords and attribute names in any case):
 * <pre>
 * rule       = or
 * or         = and { "OR" and }
 * and        = unary { "AND" unary }
 * unary      = "NOT" unary | "(" or ")" | condition
 * condition  = attribute ( operator value | "IN" "(" value { "," value } ")" | number "-" number )
 * operator   = "=" | "!=" | "&lt;&gt;" | "&lt;" | "&lt;=" | "&gt;" | "&gt;="
 * value      = number | 'text' (a quote doubled inside) | a tier name
 * </pre>
 * {@code attribute low-high} is a range, both ends included. A condition on a value the member
 * lacks (no purchase yet, no birth date, no region, no churn score) is unknown, as in SQL: neither
 * it nor its {@code NOT} admits them. The rule becomes one parameterised SQL condition, values
 * never in its text.
 */
final class SegmentRule {

    private final String text;
    private final Node root;

    private SegmentRule(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** Fails with VALIDATION_FAILED naming {@code rule}, the place in it and what is wrong there. */
    static SegmentRule parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("must not be blank");
        }
        if (text.length() > ApiLimits.SEGMENT_RULE_LENGTH_MAX) {
            throw invalid("at most " + ApiLimits.SEGMENT_RULE_LENGTH_MAX + " characters");
        }
        Parser parser = new Parser(new Tokens(text));
        Node root = parser.or(0);
        parser.tokens.expectEnd();
        return new SegmentRule(text, root);
    }

    String text() {
        return text;
    }

    /** The rule as a SQL condition whose parameters are numbered from {@code firstParameter}, and their values. */
    Compiled compile(int firstParameter) {
        List<Object> values = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        root.appendTo(sql, values, firstParameter);
        return new Compiled(sql.toString(), values);
    }

    record Compiled(String sql, List<Object> values) {
    }

    private static ProblemException invalid(String message) {
        return ProblemException.invalid("rule", message);
    }

    private static ProblemException invalidAt(Token token, String message) {
        return invalid("at character " + token.position() + (token.type() == TokenType.END ? " (the end)" : " ('" + token.text() + "')")
                + ": " + message);
    }

    private sealed interface Node permits Junction, Negation, Comparison, Membership, Range {
        void appendTo(StringBuilder sql, List<Object> values, int firstParameter);
    }

    private record Junction(String keyword, List<Node> parts) implements Node {
        @Override
        public void appendTo(StringBuilder sql, List<Object> values, int firstParameter) {
            sql.append('(');
            for (int index = 0; index < parts.size(); index++) {
                if (index > 0) {
                    sql.append(' ').append(keyword).append(' ');
                }
                parts.get(index).appendTo(sql, values, firstParameter);
            }
            sql.append(')');
        }
    }

    private record Negation(Node negated) implements Node {
        @Override
        public void appendTo(StringBuilder sql, List<Object> values, int firstParameter) {
            sql.append("(NOT ");
            negated.appendTo(sql, values, firstParameter);
            sql.append(')');
        }
    }

    private record Comparison(SegmentAttribute attribute, String operator, Object value) implements Node {
        @Override
        public void appendTo(StringBuilder sql, List<Object> values, int firstParameter) {
            sql.append('(').append(attribute.column).append(' ').append(operator).append(' ')
                    .append(parameter(attribute, value, values, firstParameter)).append(')');
        }
    }

    private record Membership(SegmentAttribute attribute, List<Object> candidates) implements Node {
        @Override
        public void appendTo(StringBuilder sql, List<Object> values, int firstParameter) {
            sql.append('(').append(attribute.column).append(" IN (");
            for (int index = 0; index < candidates.size(); index++) {
                sql.append(index > 0 ? ", " : "").append(parameter(attribute, candidates.get(index), values, firstParameter));
            }
            sql.append("))");
        }
    }

    private record Range(SegmentAttribute attribute, long low, long high) implements Node {
        @Override
        public void appendTo(StringBuilder sql, List<Object> values, int firstParameter) {
            sql.append('(').append(attribute.column).append(" BETWEEN ").append(parameter(attribute, low, values, firstParameter))
                    .append(" AND ").append(parameter(attribute, high, values, firstParameter)).append(')');
        }
    }

    /** Adds the value and gives its placeholder, typed so that the statement never depends on inference. */
    private static String parameter(SegmentAttribute attribute, Object value, List<Object> values, int firstParameter) {
        values.add(value);
        String placeholder = "$" + (firstParameter + values.size() - 1);
        return switch (attribute.kind) {
            case PROBABILITY -> placeholder + "::float8";
            case TEXT -> "lower(" + placeholder + "::text)";
            case TIER -> placeholder + "::text";
            default -> placeholder + "::bigint";
        };
    }

    private static final class Parser {

        private final Tokens tokens;
        private int conditions;

        Parser(Tokens tokens) {
            this.tokens = tokens;
        }

        Node or(int depth) {
            List<Node> parts = new ArrayList<>(List.of(and(depth)));
            while (tokens.nextIsKeyword("OR")) {
                tokens.next();
                parts.add(and(depth));
            }
            return parts.size() == 1 ? parts.get(0) : new Junction("OR", parts);
        }

        private Node and(int depth) {
            List<Node> parts = new ArrayList<>(List.of(unary(depth)));
            while (tokens.nextIsKeyword("AND")) {
                tokens.next();
                parts.add(unary(depth));
            }
            return parts.size() == 1 ? parts.get(0) : new Junction("AND", parts);
        }

        private Node unary(int depth) {
            Token token = tokens.peek();
            if (depth >= ApiLimits.SEGMENT_RULE_DEPTH_MAX) {
                throw invalidAt(token, "nested more than " + ApiLimits.SEGMENT_RULE_DEPTH_MAX + " deep");
            }
            if (tokens.nextIsKeyword("NOT")) {
                tokens.next();
                return new Negation(unary(depth + 1));
            }
            if (token.type() == TokenType.OPEN) {
                tokens.next();
                Node inner = or(depth + 1);
                tokens.expect(TokenType.CLOSE, "')'");
                return inner;
            }
            return condition();
        }

        private Node condition() {
            Token name = tokens.next();
            if (name.type() != TokenType.WORD) {
                throw invalidAt(name, "expected an attribute (" + SegmentAttribute.names() + ")");
            }
            SegmentAttribute attribute = SegmentAttribute.named(name.text())
                    .orElseThrow(() -> invalidAt(name, "no such attribute; one of " + SegmentAttribute.names()));
            if (++conditions > ApiLimits.SEGMENT_RULE_CONDITIONS_MAX) {
                throw invalidAt(name, "more than " + ApiLimits.SEGMENT_RULE_CONDITIONS_MAX + " conditions");
            }
            Token next = tokens.next();
            if (next.type() == TokenType.OPERATOR) {
                return comparison(attribute, next);
            }
            if (next.type() == TokenType.WORD && next.text().equalsIgnoreCase("IN")) {
                return membership(attribute);
            }
            if (next.type() == TokenType.NUMBER && attribute.kind.whole()) {
                return range(attribute, next);
            }
            throw invalidAt(next, "expected a comparison (=, !=, <>, <, <=, >, >=), IN (…)"
                    + (attribute.kind.whole() ? " or a range such as 20-29" : ""));
        }

        private Node comparison(SegmentAttribute attribute, Token operator) {
            String sqlOperator = operator.text().equals("!=") ? "<>" : operator.text();
            if (!attribute.kind.ordered() && !sqlOperator.equals("=") && !sqlOperator.equals("<>")) {
                throw invalidAt(operator, attribute.ruleName + " is compared with =, != or IN only");
            }
            return new Comparison(attribute, sqlOperator, value(attribute, tokens.next()));
        }

        private Node membership(SegmentAttribute attribute) {
            tokens.expect(TokenType.OPEN, "'(' after IN");
            List<Object> candidates = new ArrayList<>();
            do {
                Token token = tokens.next();
                if (candidates.size() == ApiLimits.SEGMENT_RULE_VALUES_MAX) {
                    throw invalidAt(token, "more than " + ApiLimits.SEGMENT_RULE_VALUES_MAX + " values in one IN");
                }
                candidates.add(value(attribute, token));
            } while (tokens.skip(TokenType.COMMA));
            tokens.expect(TokenType.CLOSE, "',' or ')'");
            return new Membership(attribute, candidates);
        }

        private Node range(SegmentAttribute attribute, Token lowToken) {
            long low = (Long) value(attribute, lowToken);
            tokens.expect(TokenType.DASH, "'-' between the ends of a range such as 20-29");
            Token highToken = tokens.next();
            long high = (Long) value(attribute, highToken);
            if (high < low) {
                throw invalidAt(highToken, "a range ends no lower than it starts");
            }
            return new Range(attribute, low, high);
        }

        /** The token as a value of the attribute's kind, in its range. */
        private static Object value(SegmentAttribute attribute, Token token) {
            ValueKind kind = attribute.kind;
            return switch (kind) {
                case TEXT -> text(attribute, token);
                case TIER -> tier(token);
                case PROBABILITY -> probability(attribute, token);
                default -> whole(attribute, token);
            };
        }

        private static String text(SegmentAttribute attribute, Token token) {
            if (token.type() != TokenType.TEXT) {
                throw invalidAt(token, attribute.ruleName + " is compared with text in single quotes, such as 'Seoul'");
            }
            if (token.text().length() > ApiLimits.REGION_LENGTH_MAX) {
                throw invalidAt(token, "a " + attribute.ruleName + " is at most " + ApiLimits.REGION_LENGTH_MAX + " characters");
            }
            return token.text();
        }

        private static String tier(Token token) {
            if (token.type() == TokenType.TEXT || token.type() == TokenType.WORD) {
                for (Tier tier : Tier.values()) {
                    if (tier.name().equalsIgnoreCase(token.text())) {
                        return tier.name();
                    }
                }
            }
            throw invalidAt(token, "a tier is one of BASIC, SILVER, GOLD");
        }

        private static Double probability(SegmentAttribute attribute, Token token) {
            BigDecimal value = number(attribute, token);
            if (value.compareTo(BigDecimal.ZERO) < 0 || value.compareTo(BigDecimal.ONE) > 0) {
                throw invalidAt(token, attribute.ruleName + " is from 0 to 1");
            }
            return value.doubleValue();
        }

        private static Long whole(SegmentAttribute attribute, Token token) {
            BigDecimal value = number(attribute, token);
            ValueKind kind = attribute.kind;
            if (value.scale() > 0 || value.compareTo(BigDecimal.valueOf(kind.minimum)) < 0
                    || value.compareTo(BigDecimal.valueOf(kind.maximum)) > 0) {
                throw invalidAt(token, attribute.ruleName + " is a whole number from " + kind.minimum + " to " + kind.maximum);
            }
            return value.longValueExact();
        }

        private static BigDecimal number(SegmentAttribute attribute, Token token) {
            if (token.type() != TokenType.NUMBER) {
                throw invalidAt(token, attribute.ruleName + " is compared with a number");
            }
            return new BigDecimal(token.text());
        }
    }

    private enum TokenType { WORD, NUMBER, TEXT, OPERATOR, OPEN, CLOSE, COMMA, DASH, END }

    /** {@code position} counts characters from 1. */
    private record Token(TokenType type, String text, int position) {
    }

    /** The rule's tokens, read one ahead. */
    private static final class Tokens {

        /** Digits a number may have: more is no value any attribute takes. */
        private static final int NUMBER_LENGTH_MAX = 24;

        private final String text;
        private int index;
        private Token peeked;

        Tokens(String text) {
            this.text = text;
        }

        Token peek() {
            if (peeked == null) {
                peeked = read();
            }
            return peeked;
        }

        Token next() {
            Token token = peek();
            peeked = null;
            return token;
        }

        boolean nextIsKeyword(String keyword) {
            Token token = peek();
            return token.type() == TokenType.WORD && token.text().equalsIgnoreCase(keyword);
        }

        boolean skip(TokenType type) {
            if (peek().type() == type) {
                next();
                return true;
            }
            return false;
        }

        void expect(TokenType type, String what) {
            Token token = next();
            if (token.type() != type) {
                throw invalidAt(token, "expected " + what);
            }
        }

        void expectEnd() {
            Token token = next();
            if (token.type() != TokenType.END) {
                throw invalidAt(token, "expected AND, OR or the end of the rule");
            }
        }

        private Token read() {
            while (index < text.length() && isSpace(text.charAt(index))) {
                index++;
            }
            int start = index;
            if (index == text.length()) {
                return new Token(TokenType.END, "", start + 1);
            }
            char first = text.charAt(index);
            if (Character.isISOControl(first)) {
                throw invalid("at character " + (start + 1) + ": a control character");
            }
            if (Character.isLetter(first)) {
                while (index < text.length() && (Character.isLetterOrDigit(text.charAt(index)) || text.charAt(index) == '_')) {
                    index++;
                }
                return new Token(TokenType.WORD, text.substring(start, index), start + 1);
            }
            if (first >= '0' && first <= '9') {
                return number(start);
            }
            if (first == '\'') {
                return quoted(start);
            }
            return symbol(start, first);
        }

        private Token number(int start) {
            while (index < text.length() && ((text.charAt(index) >= '0' && text.charAt(index) <= '9') || text.charAt(index) == '.')) {
                index++;
            }
            String digits = text.substring(start, index);
            if (digits.length() > NUMBER_LENGTH_MAX || !digits.matches("[0-9]+(\\.[0-9]+)?")) {
                throw invalid("at character " + (start + 1) + ": '" + digits.substring(0, Math.min(digits.length(), 30))
                        + "' is no number");
            }
            return new Token(TokenType.NUMBER, digits, start + 1);
        }

        private Token quoted(int start) {
            StringBuilder value = new StringBuilder();
            index++;
            while (index < text.length()) {
                char character = text.charAt(index++);
                if (character == '\'') {
                    if (index < text.length() && text.charAt(index) == '\'') {
                        value.append('\'');
                        index++;
                        continue;
                    }
                    return new Token(TokenType.TEXT, value.toString(), start + 1);
                }
                if (Character.isISOControl(character)) {
                    throw invalid("at character " + index + ": a control character");
                }
                value.append(character);
            }
            throw invalid("at character " + (start + 1) + ": the text is not closed with '");
        }

        private Token symbol(int start, char first) {
            index++;
            char second = index < text.length() ? text.charAt(index) : 0;
            String operator = switch (first) {
                case '<' -> second == '=' || second == '>' ? "<" + second : "<";
                case '>' -> second == '=' ? ">=" : ">";
                case '!' -> second == '=' ? "!=" : null;
                case '=' -> "=";
                default -> null;
            };
            if (operator != null) {
                index = start + operator.length();
                return new Token(TokenType.OPERATOR, operator, start + 1);
            }
            TokenType type = switch (first) {
                case '(' -> TokenType.OPEN;
                case ')' -> TokenType.CLOSE;
                case ',' -> TokenType.COMMA;
                case '-' -> TokenType.DASH;
                default -> throw invalid("at character " + (start + 1) + ": unexpected '" + printable(first) + "'");
            };
            return new Token(type, String.valueOf(first), start + 1);
        }

        private static String printable(char character) {
            return Character.isSurrogate(character) ? "?" : String.valueOf(character);
        }

        private static boolean isSpace(char character) {
            return character == ' ' || character == '\t' || character == '\n' || character == '\r';
        }
    }
}
