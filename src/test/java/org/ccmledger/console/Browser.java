package org.ccmledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Debian's headless chromium, driven through Debian's chromedriver (never a downloaded one: the driver's path is
 * given, so Selenium Manager does not run), with what the console tests need: waits with deadlines, screenshots to
 * {@code target/console-screenshots/}, and axe-core run in the page. Public for the console's sign-in at an identity
 * provider, tested where that provider is.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    /** Generous: the machine may be busy; a wait ends as soon as its condition holds. */
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String AXE = axeSource();

    private final ChromeDriver driver;
    private final String base;

    public Browser(int port) {
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver (.ci/run installs it)").isExecutable();
        assertThat(CHROMIUM).as("Debian's chromium (.ci/run installs it)").isExecutable();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                             "--window-size=1280,1400", "--lang=en-US", "--hide-scrollbars",
                             "--disable-extensions", "--no-first-run");
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(DEADLINE).scriptTimeout(DEADLINE);
        base = "http://localhost:" + port;
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String path) {
        driver.get(base + path);
        await(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    /**
     * The visible element, looked for again when the one found was replaced while it was looked at (an htmx swap):
     * Chrome then answers either a stale element or "does not belong to the document".
     */
    public WebElement find(String css) {
        return new WebDriverWait(driver, DEADLINE).until(d -> {
            try {
                return ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)).apply(d);
            } catch (org.openqa.selenium.WebDriverException e) {
                if (e instanceof org.openqa.selenium.StaleElementReferenceException || String.valueOf(e.getMessage())
                        .contains("does not belong to the document")) {
                    return null;
                }
                throw e;
            }
        });
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /**
     * Waits, up to the deadline, for {@code condition}; an element it found going stale before it was read (an htmx
     * swap in between: a stale reference, or chromium's "does not belong to the document") is asked about again at
     * the next poll, found anew.
     */
    public void await(java.util.function.Function<org.openqa.selenium.WebDriver, Boolean> condition) {
        new WebDriverWait(driver, DEADLINE).until(d -> {
            try {
                return condition.apply(d);
            } catch (org.openqa.selenium.StaleElementReferenceException stale) {
                return false;
            } catch (org.openqa.selenium.WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Clicks and waits for the page the click leads to (the old page's element goes stale). */
    public void clickAndWait(String css) {
        WebElement element = find(css);
        element.click();
        await(d -> gone(element));
        await(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    /**
     * Whether the element's page has been replaced. Chromium sometimes answers a question about an element of a page
     * being replaced with an inspector error ("does not belong to the document") instead of a stale reference.
     */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException stale) {
            return true;
        } catch (org.openqa.selenium.WebDriverException detached) {
            if (detached.getMessage() != null && detached.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw detached;
        }
    }

    void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    /** Sets an input's value as a picker would (a date-time field's typing depends on the browser's locale). */
    void set(String css, String value) {
        driver.executeScript("arguments[0].value = arguments[1];", find(css), value);
    }

    void select(String css, String value) {
        new org.openqa.selenium.support.ui.Select(find(css)).selectByValue(value);
    }

    /** Signs in through the development sign-in form. */
    void signIn(String user, String role, String practice) {
        open("/console/sign-in");
        type("#user", user);
        select("#role", role);
        type("#practice", practice);
        clickAndWait("#sign-in");
        find("header .who");
    }

    void signOut() {
        driver.manage().deleteAllCookies();
    }

    String cookie() {
        return driver.manage().getCookieNamed(ConsoleSession.COOKIE).getValue();
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Whether the page is wider than the window (something to scroll sideways for). */
    boolean overflowsSideways() {
        return (Boolean) driver.executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth + 1;");
    }

    public void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The serious and critical violations axe-core finds in the page (WCAG 2.1 A and AA rules, best practices). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> seriousAccessibilityViolations() {
        driver.executeScript(AXE);
        Object result = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                                   'best-practice']}})
                   .then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact,
                       help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))))
                   .catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e)}])));
                """);
        try {
            List<Map<String, Object>> violations = new ObjectMapper().readValue((String) result, List.class);
            return violations.stream().filter(v -> "serious".equals(v.get("impact"))
                                                   || "critical".equals(v.get("impact"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

    private static String axeSource() {
        try (InputStream in = Browser.class.getResourceAsStream("/axe/axe.min.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
