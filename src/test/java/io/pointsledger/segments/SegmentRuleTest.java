package io.pointsledger.segments;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import io.pointsledger.segments.SegmentRule.Compiled;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rule language: what parses, what it compiles to, and the refusals, each naming the place in the rule. */
class SegmentRuleTest {

    @Test
    void shouldCompileScoresToParameterisedConditionsJoinedAsWritten() {
        Compiled compiled = SegmentRule.parse("R>=4 AND F>=4").compile(1);

        assertEquals("((" + SegmentAttribute.R.column + " >= $1::bigint) AND (" + SegmentAttribute.F.column + " >= $2::bigint))",
                compiled.sql());
        assertEquals(List.of(4L, 4L), compiled.values());
    }

    @Test
    void shouldBindAndTighterThanOrAndKeepParentheses() {
        assertEquals("((acc.tier = $1::text) OR ((a.frequency > $2::bigint) AND (a.monetary < $3::bigint)))",
                SegmentRule.parse("tier = GOLD OR frequency > 2 AND monetary < 100").compile(1).sql());
        assertEquals("(((acc.tier = $1::text) OR (a.frequency > $2::bigint)) AND (a.monetary < $3::bigint))",
                SegmentRule.parse("(tier = GOLD OR frequency > 2) AND monetary < 100").compile(1).sql());
    }

    @Test
    void shouldReadRangesListsNegationTextAndDecimals() {
        Compiled compiled = SegmentRule.parse("region = 'Seoul' and age 20-29 and not tier in ('silver', Gold) and churnRisk >= 0.7")
                .compile(3);

        assertEquals("((lower(m.region) = lower($3::text)) AND (a.age BETWEEN $4::bigint AND $5::bigint) AND "
                + "(NOT (acc.tier IN ($6::text, $7::text))) AND (cs.risk >= $8::float8))", compiled.sql());
        assertEquals(List.of("Seoul", 20L, 29L, "SILVER", "GOLD", 0.7), compiled.values());
    }

    @Test
    void shouldKeepAQuoteDoubledInTextAsOneValueNeverAsSql() {
        Compiled compiled = SegmentRule.parse("region = 'O''Hare'' OR 1=1 --'").compile(1);

        assertEquals("(lower(m.region) = lower($1::text))", compiled.sql());
        assertEquals(List.of("O'Hare' OR 1=1 --"), compiled.values());
    }

    @Test
    void shouldTreatNotEqualsSpellingsAlike() {
        assertEquals(SegmentRule.parse("age <> 30").compile(1).sql(), SegmentRule.parse("age != 30").compile(1).sql());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "R", "R >=", "R >= 6", "R >= 0", "F >= 2.5", "churnRisk >= 1.5", "age 30-20", "age -1", "bogus = 1",
        "region > 'a'", "region = Seoul", "tier = PLATINUM", "tier < GOLD", "R >= 4 AND", "R >= 4 OR OR F >= 1", "(R >= 4",
        "R >= 4)", "R >= 4 F >= 4", "region = 'unterminated", "R >= 4 ; DROP TABLE members", "age IN ()", "age IN (1 2)",
        "monetary > 99999999999999999999999", "R >= 4\u0000", "region = 'a\u0007b'", "R >= 4 \u00e9", "age 1.5-3",
        "frequency = 1e3", "churnRisk = .5", "age in (1,", "NOT", "((((((((((R >= 1))))))))))"})
    void shouldRefuseAMalformedRuleNamingTheRuleField(String rule) {
        ProblemException problem = assertThrows(ProblemException.class, () -> SegmentRule.parse(rule));
        assertEquals(ErrorCode.VALIDATION_FAILED, problem.code());
        assertThat(problem.getMessage(), startsWith("rule: "));
    }

    @Test
    void shouldNameWhereTheRuleGoesWrong() {
        String message = assertThrows(ProblemException.class, () -> SegmentRule.parse("R >= 4 AND bogus = 1")).getMessage();
        assertThat(message, containsString("at character 12 ('bogus')"));
        assertThat(message, containsString("no such attribute"));
    }

    @Test
    void shouldRefuseMoreConditionsThanTheLimit() {
        String rule = String.join(" OR ", Collections.nCopies(33, "R = 1"));

        assertThat(assertThrows(ProblemException.class, () -> SegmentRule.parse(rule)).getMessage(),
                containsString("more than 32 conditions"));
        assertEquals(32, SegmentRule.parse(String.join(" OR ", Collections.nCopies(32, "R = 1"))).compile(1).values().size());
    }

    @Test
    void shouldRefuseMoreValuesInOneListThanTheLimit() {
        String values = String.join(",", IntStream.rangeClosed(0, 50).mapToObj(String::valueOf).toList());

        assertThat(assertThrows(ProblemException.class, () -> SegmentRule.parse("age IN (" + values + ")")).getMessage(),
                containsString("more than 50 values"));
    }

    @Test
    void shouldRefuseARuleLongerThanTheLimit() {
        assertThat(assertThrows(ProblemException.class, () -> SegmentRule.parse("R = 1" + " ".repeat(1000))).getMessage(),
                containsString("at most 1000 characters"));
    }

    @Test
    void shouldNumberParametersFromWhereTheStatementLeavesOff() {
        assertEquals("(a.age IN ($3::bigint, $4::bigint))", SegmentRule.parse("age IN (20, 21)").compile(3).sql());
        assertThat(List.of(SegmentAttribute.names().split(", ")), hasItems("R", "churnRisk", "region"));
    }
}
