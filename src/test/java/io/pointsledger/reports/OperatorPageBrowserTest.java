package io.pointsledger.reports;

import static io.pointsledger.support.LedgerApi.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.LedgerApi;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator page in a real, headless Chromium, driven through WebDriver: signing in, the
 * dashboard's charts drawn with the API's figures, a new period, a CSV download and a member
 * looked up. Skipped, saying what to install, where Debian's chromium and chromium-driver are not.
 */
@QuarkusTest
@TestProfile(RollupsByHand.Profile.class)
class OperatorPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/admin/")
    URL page;

    @Inject
    Pool pool;

    @Inject
    ReportRollups rollups;

    private WebDriver browser;
    private Path downloads;

    @BeforeEach
    void startBrowser() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "No Chromium here: the browser tests need Debian's packages (apt-get install chromium chromium-driver)");
        downloads = Files.createTempDirectory("operator-page-downloads");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (downloads != null) {
            try (Stream<Path> files = Files.list(downloads)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(downloads);
        }
    }

    /**
     * Sign in, and the dashboard draws the API's figures: the earn and burn chart has a point per
     * day of the report with the report's issued points, the tier chart the liability's tiers. A
     * shorter period redraws it; its CSV downloads as the API gives it.
     */
    @Test
    void shouldDrawTheDashboardFromTheApiAndDownloadItsCsv() throws IOException {
        LedgerApi.earnForAmount(LedgerApi.enroll(), UUID.randomUUID().toString(), 25_000).then().statusCode(201);
        LocalDate today = rollups.dayOf(OffsetDateTime.now());
        RollupsByHand.forgetAll(pool);
        RollupsByHand.rollUpDays(rollups, today.minusDays(1), today);
        signIn();

        waitUntil("the dashboard's charts are drawn", () -> script("return !!Chart.getChart('earn-burn-chart') && !!Chart.getChart('tier-chart')"
                + " && !!Chart.getChart('breakage-chart')"));
        String from = browser.findElement(By.id("period-from")).getAttribute("value");
        String to = browser.findElement(By.id("period-to")).getAttribute("value");
        JsonPath report = given().queryParam("from", from).queryParam("to", to).get("/v1/admin/reports/earn-burn").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(report.getList("days.day"), script("return Chart.getChart('earn-burn-chart').data.labels"));
        assertEquals(longs(report.getList("days.issued", Long.class)), longs(script("return Chart.getChart('earn-burn-chart').data.datasets[0].data")));
        assertTrue(report.getLong("totals.issued") > 0, "today's earn is on the chart");
        assertTrue((Boolean) script("const canvas = document.getElementById('earn-burn-chart'); return canvas.width > 0 && canvas.height > 0"));
        JsonPath liability = given().get("/v1/admin/reports/liability").then().statusCode(200).extract().jsonPath();
        assertEquals(liability.getList("byTier.tier"), script("return Chart.getChart('tier-chart').data.labels"));
        waitUntil("the members' charts are drawn", () -> script("return !!Chart.getChart('members-chart') && !!Chart.getChart('rates-chart')"));
        List<?> months = (List<?>) script("return Chart.getChart('members-chart').data.labels");
        JsonPath members = given().queryParam("from", months.get(0) + "-01").queryParam("to", to).get("/v1/admin/reports/members").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(members.getList("months.month"), months);
        assertEquals(longs(members.getList("months.enrolled", Long.class)), longs(script("return Chart.getChart('members-chart').data.datasets[0].data")));
        assertTrue(members.getLong("months[-1].enrolled") > 0, "this month's enrolment is on the chart");

        browser.findElement(By.cssSelector("#period button[data-days='7']")).click();
        waitUntil("a week is drawn", () -> ((List<?>) script("return Chart.getChart('earn-burn-chart').data.labels")).size() == 7);
        String weekFrom = browser.findElement(By.id("period-from")).getAttribute("value");

        browser.findElement(By.cssSelector("button[data-csv='earn-burn']")).click();
        Path csv = downloads.resolve("earn-burn-" + weekFrom + "-" + to + ".csv");
        waitUntil("the CSV is downloaded", () -> Files.exists(csv));
        String expected = given().accept("text/csv").queryParam("from", weekFrom).queryParam("to", to).get("/v1/admin/reports/earn-burn")
                .then().statusCode(200).extract().asString();
        assertEquals(expected, Files.readString(csv, StandardCharsets.UTF_8));
        assertFalse(browser.getCurrentUrl().contains(LedgerApi.ADMIN_KEY), "the key is never in a URL");
    }

    /** A member looked up by id shows the balance the API gives, and their history. */
    @Test
    void shouldLookUpAMemberAndShowTheirBalanceAndHistory() {
        UUID member = LedgerApi.enroll();
        LedgerApi.earnForAmount(member, UUID.randomUUID().toString(), 12_300).then().statusCode(201);
        long available = LedgerApi.available(member);
        signIn();

        browser.findElement(By.cssSelector("#nav button[data-page='member']")).click();
        browser.findElement(By.id("member-query")).sendKeys(member.toString());
        browser.findElement(By.cssSelector("#member-form button[type='submit']")).click();

        waitUntil("the member and their history are shown", () -> member.toString().equals(browser.findElement(By.id("member-id")).getText())
                && !browser.findElements(By.cssSelector("#member-history tbody tr")).isEmpty());
        assertEquals(String.format("%,d", available), browser.findElement(By.id("member-available")).getText());
        assertEquals(1, browser.findElements(By.cssSelector("#member-history tbody tr")).size());
        assertEquals("EARN", browser.findElement(By.cssSelector("#member-history tbody tr td:nth-child(2)")).getText());

        browser.findElement(By.id("sign-out")).click();
        assertNull(script("return sessionStorage.getItem('points-ledger.api-key')"), "signing out forgets the key");
        assertTrue(browser.findElement(By.id("sign-in")).isDisplayed());
    }

    /** Every script the page runs is the service's own: nothing is fetched from another origin, and the page says so to the browser. */
    @Test
    void shouldLoadEveryScriptFromTheServiceItself() {
        io.restassured.RestAssured.given().get("/admin/").then().statusCode(200)
                .header("Content-Security-Policy", org.hamcrest.Matchers.startsWith("default-src 'self';"))
                .header("X-Content-Type-Options", "nosniff");
        browser.get(page.toString());
        waitUntil("Chart.js is loaded", () -> script("return typeof Chart !== 'undefined'"));
        List<?> sources = (List<?>) script("return Array.from(document.scripts).map(s => s.src)");
        assertEquals(2, sources.size());
        sources.forEach(source -> assertTrue(source.toString().startsWith(page.getProtocol() + "://" + page.getAuthority() + "/"),
                "from the service: " + source));
    }

    private void signIn() {
        browser.get(page.toString());
        browser.findElement(By.id("api-key")).sendKeys(LedgerApi.ADMIN_KEY);
        browser.findElement(By.cssSelector("#sign-in-form button[type='submit']")).click();
        waitUntil("signed in", () -> browser.findElement(By.id("dashboard")).isDisplayed());
    }

    private Object script(String source) {
        return ((JavascriptExecutor) browser).executeScript(source);
    }

    private void waitUntil(String what, java.util.function.Supplier<Object> condition) {
        new WebDriverWait(browser, WAIT).withMessage(what).until(driver -> Boolean.TRUE.equals(condition.get()));
    }

    /** Numbers as the browser and the API each give them (Long or Integer), as longs. */
    private static List<Long> longs(Object values) {
        return ((List<?>) values).stream().map(value -> ((Number) value).longValue()).toList();
    }
}
