package io.pointsledger.communication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MessageTemplatesTest {

    private static final MessageText MARKUP = new MessageText("<b>Sale</b> & more", "Tom's \"deal\" <script>", "en");

    @Test
    void shouldEscapeWhatAnHtmlEmailInserts() {
        String html = MessageTemplates.emailHtml(MARKUP, "https://example.com/v1/unsubscribe/a?b=1&c=2", "Unsubscribe");

        assertTrue(html.contains("<h1>&lt;b&gt;Sale&lt;/b&gt; &amp; more</h1>"), html);
        assertTrue(html.contains("Tom&#39;s &quot;deal&quot; &lt;script&gt;"), html);
        assertTrue(html.contains("href=\"https://example.com/v1/unsubscribe/a?b=1&amp;c=2\""), html);
    }

    @Test
    void shouldKeepTheTextPartsAsWritten() {
        assertEquals("<b>Sale</b> & more: Tom's \"deal\" <script> Unsubscribe: https://u",
                MessageTemplates.sms(MARKUP, "https://u", "Unsubscribe"));
        assertTrue(MessageTemplates.emailText(MARKUP, "https://u", "Unsubscribe").startsWith("<b>Sale</b> & more\n"));
    }

    @Test
    void shouldWordNoticesInKoreanOrEnglish() {
        assertEquals("이제 GOLD 등급입니다", Notices.in("ko").tierChangedTitle("GOLD"));
        assertEquals("Your tier is now GOLD", Notices.in("en").tierChangedTitle("GOLD"));
        assertEquals("수신 거부", Notices.in("ko").unsubscribe());
    }

    @Test
    void shouldRefuseToWordANoticeWhoseEventLacksAField() {
        assertThrows(IllegalArgumentException.class, () -> Notices.in("en").couponIssuedTitle(null));
    }
}
