package org.deephash4j.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.deephash4j.server.InitialData;
import org.deephash4j.server.encode.ImageEncoder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser: Debian's headless Chromium driven by Selenium through Debian's
 * chromedriver. Loads the page, uploads an image, sees the results, clicks one to search from it, and
 * saves a screenshot ({@code target/browser/search-page.png}). Where the browser is missing the test
 * is skipped, unless {@code DEEPHASH_REQUIRE_BROWSER=1} (CI sets it), where it fails.
 */
class WebPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path data;

    @Test
    void uploadAnImageSeeItsNeighboursAndSearchFromOne() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "1".equals(System.getenv("DEEPHASH_REQUIRE_BROWSER"))) {
            fail("the browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        }
        Assumptions.assumeTrue(present, "chromium or chromedriver missing: browser test skipped");

        Path photos = data.resolve("photos");
        for (int i = 0; i < 9; i++) {
            Path cls = photos.resolve(i % 2 == 0 ? "even" : "odd");
            Files.createDirectories(cls);
            Files.write(cls.resolve("p" + i + ".png"), HttpFixture.png(i, 48));
        }
        Files.createDirectories(data.resolve("tmp"));
        ImageEncoder encoder = new ImageEncoder("lsh", SearchServerTest.model(), null, 40_000_000L, data.resolve("tmp"));
        try (SearchServer server = SearchServer.start(ServerOptions.defaults("127.0.0.1", 0, data, HttpFixture.KEY,
                Map.of("lsh", encoder)))) {
            assertTrue(server.awaitReady(Duration.ofSeconds(30)));
            assertEquals(9, InitialData.importImages(server.registry(), photos, "photos", encoder, System.err));
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toString());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
            WebDriver browser;
            try {
                browser = new ChromeDriver(service, options);
            } catch (RuntimeException e) {
                fail("the browser could not start: " + e.getMessage());
                return;
            }
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                browser.get("http://127.0.0.1:" + server.port() + "/");
                wait.until(d -> d.findElements(By.cssSelector("#index option")).size() == 1);
                wait.until(d -> d.findElement(By.id("stats")).getText().contains("9 items"));
                Path query = data.resolve("query.png");
                Files.write(query, HttpFixture.png(4, 48));
                WebElement file = browser.findElement(By.id("file"));
                ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].hidden = false;", file);
                file.sendKeys(query.toString());
                wait.until(d -> d.findElements(By.cssSelector("#results .hit")).size() == 9);
                List<WebElement> hits = browser.findElements(By.cssSelector("#results .hit"));
                // ids are positions in the sorted file list: even/p0, even/p2, even/p4 ... so p4 is item 2
                assertEquals("2", hits.get(0).getDomAttribute("data-id"), "the uploaded image's twin comes first");
                assertTrue(hits.get(0).getText().contains("distance 0"), hits.get(0).getText());
                assertTrue(hits.get(0).getText().contains("filename: even/p4.png"), hits.get(0).getText());
                wait.until(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                        "return [...document.querySelectorAll('#results .hit img')].every(i => i.complete && i.naturalWidth > 0);"));
                Path shot = Path.of("target", "browser", "search-page.png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                String second = hits.get(1).getDomAttribute("data-id");
                hits.get(1).click();
                // the grid is replaced when the new results come: read the first card's id in the page, not from a stale element
                wait.until(d -> second.equals(((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                        "const h = document.querySelector('#results .hit'); return h && h.dataset.id;")));
                assertTrue(browser.findElement(By.id("status")).getText().contains("results in"));
                browser.get("http://127.0.0.1:" + server.port() + "/api");
                wait.until(d -> d.findElements(By.cssSelector(".swagger-ui .opblock")).size() == 16);
                Files.write(shot.resolveSibling("api-page.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            } finally {
                browser.quit();
            }
        }
    }
}
