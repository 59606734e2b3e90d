package dev.voicetrace.reportit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven through Selenium, from the Debian packages {@code chromium} and
 * {@code chromium-driver}. Without them the tests fail and say what to install: CI installs them.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Paths.get(System.getProperty("report.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Paths.get(System.getProperty("report.chromedriver", "/usr/bin/chromedriver"));

    final ChromeDriver driver;

    Browser(Path profile) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("the report's browser tests need Chromium at " + CHROMIUM + " and chromedriver at "
                    + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver (.ci/run does so), or set "
                    + "-Dreport.chromium and -Dreport.chromedriver");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(120));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    /** Opens a local file and waits until the page's script has drawn it. */
    void open(Path file, String hash) {
        driver.get(file.toUri() + (hash == null ? "" : "#" + hash));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!"true".equals(driver.executeScript("return document.body && document.body.getAttribute('data-ready')"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the report's script did not finish drawing " + file);
            }
            sleep(50);
        }
    }

    Object script(String javascript, Object... args) {
        return driver.executeScript(javascript, args);
    }

    /** The whole page, not only the window, as a PNG. */
    void screenshot(Path png) throws java.io.IOException {
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode((String) shot.get("data")));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
