package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import clavis.http.Paths;

/**
 * The admin console in a real browser: Debian's headless Chromium driven through its chromedriver, against a real
 * server with the admin API on. One browser and one server for the class; each test starts from a fresh page (which
 * holds no token) and signs in. Skipped when Chromium or chromedriver is missing, unless CLAVIS_REQUIRE_BROWSER=1 (CI,
 * which installs them: .ci/run). Screenshots go to target/console-*.png.
 */
class ConsoleBrowserTest {
    static final String REQUIRE = "CLAVIS_REQUIRE_BROWSER";
    /** Debian's packages' paths; elsewhere -Dclavis.chromium=PATH and -Dclavis.chromedriver=PATH. */
    private static final Path CHROMIUM = Path.of(System.getProperty("clavis.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("clavis.chromedriver", "/usr/bin/chromedriver"));
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** Selenium warns that it has no DevTools (CDP) binding for this Chromium: WebDriver alone is used, so it is quiet. */
    private static final java.util.logging.Logger CDP_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    @TempDir
    static Path dir;
    private static TestServer server;
    private static ChromeDriver browser;
    private static WebDriverWait waiting;
    /** Why there is no browser, or null. */
    private static String missing;

    @BeforeAll
    static void startServerAndBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "no browser for the console's tests: " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing (Debian: apt-get install chromium chromium-driver)";
            if ("1".equals(System.getenv(REQUIRE))) Assertions.fail(message + " (" + REQUIRE + "=1 requires them)");
            missing = message; // each test is skipped with it, so that the report shows it
            return;
        }
        CDP_LOG.setLevel(java.util.logging.Level.SEVERE);
        server = TestServer.start(dir, AdminCalls.settings());
        // The driver and the browser named outright, so that Selenium Manager never looks for (or downloads) either.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-proxy-server",
                "--window-size=1280,1000", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium")));
        browser = new ChromeDriver(service, options);
        waiting = new WebDriverWait(browser, PATIENCE);
        waiting.pollingEvery(Duration.ofMillis(50)); // not the default half second: most conditions hold within a few ms
        waiting.ignoring(StaleElementReferenceException.class); // the live panel is redrawn at every reading of /metrics
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    @BeforeEach
    void freshPage() {
        Assumptions.assumeTrue(missing == null, missing);
        browser.get(server.url(Paths.CONSOLE));
        waiting.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }

    @Test
    void operatorSeesAClientRegisteredThroughTheApiRotatesItsSecretAndDeletesIt() {
        signIn();
        Map<String, Object> registered = server.register("{\"client_name\":\"Order sync\"}");
        String id = (String) registered.get("client_id");
        String oldSecret = (String) registered.get("client_secret");
        filter("Order sync");
        WebElement row = waiting.until(ExpectedConditions.visibilityOfElementLocated(clientRow(id)));
        assertTrue(row.getText().contains("client_secret_basic"), row.getText());

        row.findElement(By.cssSelector("button.open-client")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("rotate-secret")));
        new Select(browser.findElement(By.id("grace"))).selectByValue("3600");
        browser.findElement(By.id("rotate-secret")).click();
        String newSecret = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-secret"))).getText();
        assertNotEquals(oldSecret, newSecret);
        assertTrue(browser.findElement(By.id("client-outcome")).getText().contains("previous secret works until"));
        screenshot("secret");
        assertEquals(200, tokenStatus(id, newSecret), "the new secret works");
        assertEquals(200, tokenStatus(id, oldSecret), "and the old one during the grace period");

        browser.findElement(By.id("delete-client")).click();
        waiting.until(ExpectedConditions.elementToBeClickable(By.id("confirm-delete"))).click();
        waiting.until(ExpectedConditions.invisibilityOfElementLocated(clientRow(id)));
        waiting.until(ExpectedConditions.textToBe(By.id("notice"), "Client " + id + " deleted."));
        assertEquals(401, tokenStatus(id, newSecret), "a deleted client's secret no longer works");
    }

    @Test
    void hostileClientNameIsShownAsTextAndNeverRunsOrMakesAnElement() {
        String id = (String) server.register("{\"client_name\":\"" + HOSTILE + "\"}").get("client_id");
        signIn();
        filter(id);
        WebElement row = waiting.until(ExpectedConditions.visibilityOfElementLocated(clientRow(id)));
        assertEquals(HOSTILE, row.findElement(By.cssSelector("td.client-name")).getText());
        row.findElement(By.cssSelector("button.open-client")).click();
        WebElement name = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dd[data-member=client_name]")));
        assertEquals(HOSTILE, name.getText());
        assertTrue(browser.findElements(By.tagName("img")).isEmpty(), "the name made no img element");
        assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert(), "no alert ran");
        screenshot("hostile");
    }

    @Test
    void rotatingAKeyShowsTheOldKeyRetiredAndPublishedUntilItsTokensExpire() {
        signIn();
        browser.findElement(By.cssSelector("nav button[data-view=keys]")).click();
        WebElement active = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#keys-table tr[data-status=active]")));
        String oldKid = active.findElements(By.tagName("td")).get(1).getText();
        browser.findElement(By.cssSelector("button[data-rotate=myAS]")).click();
        waiting.until(d -> d.findElements(By.cssSelector("#keys-table tr[data-status=retired]")).stream()
                .anyMatch(r -> r.getText().contains(oldKid)));
        WebElement retired = browser.findElements(By.cssSelector("#keys-table tr[data-status=retired]")).stream()
                .filter(r -> r.getText().contains(oldKid)).findFirst().orElseThrow();
        assertFalse(retired.findElements(By.tagName("td")).get(6).getText().isBlank(), "published until");
        String newKid = browser.findElement(By.cssSelector("#keys-table tr[data-status=active]")).findElements(By.tagName("td")).get(1).getText();
        assertNotEquals(oldKid, newKid);
        assertTrue(browser.findElement(By.id("notice")).getText().contains(newKid));
        screenshot("keys");
    }

    @Test
    void initialAccessTokenIsShownOnceListedAndRevoked() {
        signIn();
        browser.findElement(By.cssSelector("nav button[data-view=iat]")).click();
        WebElement uses = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("iat-uses")));
        uses.clear();
        uses.sendKeys("2");
        browser.findElement(By.cssSelector("#iat-form button[type=submit]")).click();
        String value = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-iat"))).getText();
        WebElement row = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#iat-table tr[data-iat-id]")));
        String tokenId = row.getDomAttribute("data-iat-id");
        assertTrue(row.getText().contains("2"), row.getText());
        assertFalse(browser.findElement(By.id("iat-table")).getText().contains(value), "the list never shows the token");
        screenshot("initial-access-tokens");

        row.findElement(By.cssSelector("button.danger")).click();
        waiting.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#iat-table tr[data-iat-id='" + tokenId + "']")));
        assertTrue(browser.findElement(By.id("notice")).getText().contains("revoked"));
    }

    @Test
    void liveChartShowsTokensRequestedDuringTheTest() {
        String[] client = server.registerClient();
        signIn();
        browser.findElement(By.cssSelector("nav button[data-view=live]")).click();
        waiting.until(d -> Integer.parseInt(chart().getDomAttribute("data-points")) >= 1); // two readings of /metrics
        long before = waiting.until(d -> Long.parseLong(d.findElement(By.cssSelector("td[data-metric='tokens issued']")).getText()));
        for (int i = 0; i < 10; i++) server.token(client[0], client[1]);
        assertEquals(401, tokenStatus(client[0], "wrong"));
        waiting.until(d -> Double.parseDouble(chart().getDomAttribute("data-peak")) > 0);
        waiting.until(d -> Long.parseLong(d.findElement(By.cssSelector("td[data-metric='tokens issued']")).getText()) >= before + 10);
        waiting.until(d -> !chart().findElements(By.tagName("polyline")).isEmpty()); // a line is drawn
        waiting.until(d -> d.findElement(By.cssSelector("#failures-table tbody")).getText().contains("wrong_secret")); // failures by reason
        assertTrue(browser.findElement(By.id("chart-caption")).getText().contains("peak"));
        screenshot("live");
    }

    @Test
    void signOutOnRequestForgetsTheTokenWhichWasNeverStored() {
        signIn();
        filter("");
        waiting.until(ExpectedConditions.visibilityOfElementLocated(clientRow(AdminCalls.OPERATOR)));
        screenshot("clients");
        Object stored = browser.executeScript("return localStorage.length + sessionStorage.length + document.cookie.length");
        assertEquals(0L, stored, "no storage, no cookie");
        assertFalse(browser.getCurrentUrl().contains("token") || browser.getCurrentUrl().contains("#"), browser.getCurrentUrl());

        browser.findElement(By.id("sign-out")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        assertFalse(browser.findElement(By.id("app")).isDisplayed());
        assertTrue(browser.findElements(By.cssSelector("#clients-table tbody tr")).isEmpty(), "nothing shown stays");
        assertEquals("Signed out.", browser.findElement(By.id("notice")).getText());
    }

    @Test
    void wrongSecretAndRefusedTokenAreExplainedInWords() {
        signIn(AdminCalls.OPERATOR, "not-the-secret");
        WebElement error = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        waiting.until(ExpectedConditions.textToBePresentInElement(error, "Sign-in failed"));
        assertTrue(error.getText().contains("invalid_client"), error.getText());
        assertTrue(browser.findElement(By.id("sign-in")).isDisplayed());

        pasteToken("not.a-token.at-all");
        waiting.until(ExpectedConditions.textToBePresentInElement(error, "invalid_token"));
        assertTrue(browser.findElement(By.id("sign-in")).isDisplayed(), "a refused token signs out");

        pasteToken(AdminCalls.operatorToken(server));
        waiting.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-signed-in")));
    }

    @Test
    void consoleSignsOutWhenItsTokenExpires() {
        String admin = AdminCalls.operatorToken(server);
        Map<String, Object> shortLived = AdminCalls.ok(201, server, "POST", "/clients/myAS", admin,
                "{\"client_name\":\"short-lived operator\",\"scope\":\"clavis:admin\",\"access_token_lifetime\":60}");
        // In a tab of its own whose clock is Chromium's virtual time: once signed in, the page's timers run as soon as
        // nothing else is to do, so the token's minute passes without the test waiting for it (its patience is 20 s).
        String main = browser.getWindowHandle();
        browser.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        try {
            browser.get(server.url(Paths.CONSOLE));
            signIn((String) shortLived.get("client_id"), (String) shortLived.get("client_secret"));
            waiting.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-signed-in")));
            browser.executeCdpCommand("Emulation.setVirtualTimePolicy", Map.of("policy", "advance", "budget", 61_000));
            waiting.until(ExpectedConditions.textToBe(By.id("notice"), "Signed out: the access token expired."));
            assertTrue(browser.findElement(By.id("sign-in")).isDisplayed());
        } finally {
            browser.close();
            browser.switchTo().window(main);
        }
    }

    private void signIn() {
        signIn(AdminCalls.OPERATOR, AdminCalls.OPERATOR_SECRET);
        waiting.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-signed-in")));
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#clients-table tbody tr")));
    }

    private void signIn(String id, String secret) {
        browser.findElement(By.id("client-id")).sendKeys(id);
        browser.findElement(By.id("client-secret")).sendKeys(secret);
        browser.findElement(By.id("sign-in-button")).click();
    }

    private void pasteToken(String token) {
        WebElement field = browser.findElement(By.id("pasted-token"));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.id("use-token")).click();
    }

    private void filter(String text) {
        WebElement field = browser.findElement(By.id("filter"));
        field.clear();
        field.sendKeys(text);
        browser.findElement(By.cssSelector("#filter-form button[type=submit]")).click();
    }

    private static By clientRow(String clientId) {
        return By.cssSelector("#clients-table tr[data-client-id='" + clientId + "']");
    }

    private WebElement chart() {
        return browser.findElement(By.cssSelector("#chart svg"));
    }

    private static int tokenStatus(String id, String secret) {
        return TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, secret), "grant_type=client_credentials").statusCode();
    }

    /** The page as the browser shows it, to target/console-NAME.png. */
    private static void screenshot(String name) {
        try {
            Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
            Files.createDirectories(Path.of("target"));
            Files.copy(shot, Path.of("target", "console-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
