package io.pointsledger.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The URLs production refuses (tests and dev mode allow http and this machine, so the API tests cannot show these). */
class WebhookUrlsTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "http://hooks.cardco.example/points",
            "https://localhost/hooks", "https://api.localhost/hooks", "https://printer.local/", "https://metadata.internal/",
            "https://127.0.0.1/hooks", "https://127.1.2.3:8443/", "https://10.0.0.8/", "https://172.16.5.4/", "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data", "https://0.0.0.0/", "https://[::1]/", "https://[fd12:3456::1]/",
            "https://[fe80::1]/", "https://[::ffff:127.0.0.1]/", "https://224.0.0.1/",
            "https://2130706433/", "https://0x7f.1/", "https://127.1/", "https://017700000001/", "https://999.1.1.1/",
            "https://localhost./", "https://LOCALHOST/", "https://localhost.localdomain/", "https://ip6-localhost/",
            "https://router.home.arpa/", "https://100.64.0.1/", "https://[::127.0.0.1]/", "https://[64:ff9b::a9fe:a9fe]/",
            "https://[::ffff:10.0.0.1]/", "https://a.example:99999/", "https://a.example:0/"})
    void shouldRefuseInProductionWhatCouldReachTheServicesOwnNetworkOrTravelInClear(String url) {
        ProblemException refused = assertThrows(ProblemException.class, () -> WebhookUrls.check(url, false, false));
        assertEquals(ErrorCode.VALIDATION_FAILED, refused.code());
        assertEquals("url", refused.problem().violations().get(0).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.cardco.example/points", "https://hooks.cardco.example:8443/a/b?c=d",
            "https://8.8.8.8/hooks", "https://[2001:db8::1]/hooks", "https://1password.example/"})
    void shouldAcceptAPublicHttpsUrl(String url) {
        assertEquals(url, WebhookUrls.check(url, false, false).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8081/hooks", "http://localhost/hooks"})
    void shouldAcceptThisMachineOverHttpWhereConfigured(String url) {
        assertEquals(url, WebhookUrls.check(url, true, true).toString());
    }
}
