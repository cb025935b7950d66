package io.pointsledger.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The text rule and the header rule, character by character. */
class PrintableTextTest {

    @ParameterizedTest(name = "U+{0} printable: {1}, in a header: {2}")
    @CsvSource({
            "0000, false, false",
            "0001, false, false",
            "0009, false, true",
            "000A, false, false",
            "001B, false, false",
            "001F, false, false",
            "0020, true, true",
            "007E, true, true",
            "007F, false, false",
            "0082, false, true",
            "0085, false, true",
            "009F, false, true",
            "00A0, true, true",
            "00E9, true, true",
            "D800, false, true",
            "DC00, false, true",
            "FFFD, true, true"})
    void shouldJudgeEachCharacter(String codeUnit, boolean printable, boolean headerValue) {
        String text = "a" + (char) Integer.parseInt(codeUnit, 16) + "b";

        assertEquals(printable, PrintableText.isPrintable(text), "text");
        assertEquals(headerValue, PrintableText.isHeaderValue(text), "header");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "a surrogate pair, \uD83D\uDE00, true",
            "a pair at the end, ab\uD83D\uDE00, true",
            "a high surrogate at the end, ab\uD83D, false",
            "two high surrogates, \uD83D\uD83D\uDE00, false",
            "the empty string, '', true"})
    void shouldAcceptOnlyPairedSurrogates(String caseName, String text, boolean printable) {
        assertEquals(printable, PrintableText.isPrintable(text), caseName);
    }
}
