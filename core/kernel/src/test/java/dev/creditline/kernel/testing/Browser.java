package dev.creditline.kernel.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for a test class: the system's {@code chromium} driven by its {@code chromedriver} (Debian's
 * packages, which {@code .ci/run} installs), never a browser downloaded at run time. Waits are explicit: every look-up
 * waits for its element up to ten seconds. Register after the {@link TestServer}.
 */
public final class Browser implements BeforeAllCallback, AfterAllCallback {
    private static final Path CHROMIUM = Path.of(System.getProperty("creditline.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("creditline.chromedriver", "/usr/bin/chromedriver"));

    private ChromeDriver driver;
    private WebDriverWait wait;
    private URI base;
    private final TestServer server;

    public Browser(TestServer server) {
        this.server = server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("the browser tests need " + CHROMIUM + " and " + DRIVER
                    + ": apt-get install chromium chromium-driver (.ci/run does)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1500", "--lang=en-US");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        // Screens are drawn again after each change: an element found just before that is looked up anew.
        wait.ignoring(StaleElementReferenceException.class);
        base = server.api().base();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Opens a path of the server; the session storage (the signed-in key) is the tab's until it closes. */
    public void open(String path) {
        driver.get(base.resolve(path).toString());
    }

    /** Opens a page with nobody signed in. */
    public void openSignedOut(String path) {
        open(path);
        driver.executeScript("sessionStorage.clear(); localStorage.clear();");
        // A session cookie of an earlier test would sign the page in by itself.
        driver.manage().deleteAllCookies();
        driver.navigate().refresh();
    }

    /** The element, once it is visible. */
    public WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /** Waits until the element shows the text (a part of it), and answers the element's whole text. */
    public String waitForText(String css, String text) {
        // Found and read in one step, again on every poll: the page may render the element anew in between (a
        // notice replaced by the next one), and an element found before is then stale.
        return wait.until(shown -> {
            try {
                String whole = shown.findElement(By.cssSelector(css)).getText();
                return whole.contains(text) ? whole : null;
            } catch (org.openqa.selenium.StaleElementReferenceException rendered) {
                return null;
            }
        });
    }

    /** Waits until the condition holds (answers non-null, or true), and answers what it answered. */
    public <T> T until(Function<? super WebDriver, T> condition) {
        return wait.until(condition);
    }

    public void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    public void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    /** Follows a link by its text, once it is shown. */
    public void clickLink(String text) {
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText(text))).click();
    }

    /**
     * The serious and critical accessibility violations of the page shown, by Deque's axe-core rules (WCAG 2.x A and
     * AA, best practices), each as "rule: where": empty when the page passes.
     */
    public List<String> seriousAccessibilityViolations() {
        try (InputStream axe = Browser.class.getResourceAsStream("/axe.min.js")) {
            if (axe == null) {
                throw new IllegalStateException("axe.min.js is not on the test class path (com.deque.html.axe-core)");
            }
            driver.executeScript(new String(axe.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Object found = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations"
                + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))));");
        List<String> violations = new ArrayList<>();
        if (found instanceof List<?> list) {
            list.forEach(v -> violations.add(String.valueOf(v)));
        }
        return violations;
    }

    /** Signs in on the page shown with an API key. */
    public void signIn(String key) {
        type("#signin-key", key);
        click("#signin-submit");
    }

    /**
     * Saves a screenshot as target/screenshots/NAME.png; with {@code -Dcreditline.screenshots=DIR} also into DIR (the
     * docs' copies: {@code -Dcreditline.screenshots=$PWD/docs/screenshots}).
     */
    public void screenshot(String name) {
        try {
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Path target = Path.of("target", "screenshots");
            Files.createDirectories(target);
            Files.copy(shot, target.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            String docs = System.getProperty("creditline.screenshots");
            if (docs != null && !docs.isBlank()) {
                Files.createDirectories(Path.of(docs));
                Files.copy(shot, Path.of(docs, name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
