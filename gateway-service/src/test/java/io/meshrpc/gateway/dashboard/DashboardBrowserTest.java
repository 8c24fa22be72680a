package io.meshrpc.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard in a real browser against a running demo cluster ({@code bin/demo up}): headless
 * Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven by Selenium) loads
 * {@code /dashboard}, sees nodes and charts with real numbers, sets a topic's policy by clicking,
 * sees it take effect in the matchmaker, puts it back, and saves {@code docs/img/dashboard.png}.
 *
 * <p>Skipped, with the reason, when Chromium or chromedriver is not installed or no gateway answers
 * at {@code -Ddashboard.url} (default {@code http://127.0.0.1:8080}, the demo's gateway).
 */
class DashboardBrowserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void theDashboardShowsTheFleetWithNumbersAndAClickedPolicyChangeTakesEffect() throws Exception {
        Optional<Path> chromium = executable("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
        Assumptions.assumeTrue(chromium.isPresent(), "no Chromium on the PATH (chromium, chromium-browser, "
                + "google-chrome): apt-get install chromium chromium-driver");
        Optional<Path> driver = executable("chromedriver").or(() -> existing("/usr/lib/chromium/chromedriver",
                "/usr/lib/chromium-browser/chromedriver"));
        Assumptions.assumeTrue(driver.isPresent(), "no chromedriver (Debian: apt-get install chromium-driver)");
        String base = System.getProperty("dashboard.url", "http://127.0.0.1:8080");
        Assumptions.assumeTrue(answers(base + "/api/v1/dashboard/config"),
                "no gateway with the dashboard answers at " + base + ": start the demo (bin/demo up)");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1700");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile()).usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        String topic = null;
        String before = null;
        try {
            browser.get(base + "/dashboard");
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                assertThat(Integer.parseInt(browser.findElement(By.id("tile-nodes")).getText())).isPositive();
                assertThat(browser.findElements(By.cssSelector("#nodes tbody tr"))).isNotEmpty();
                assertThat(browser.findElement(By.id("tile-share-zmq")).getText()).matches("\\d+\\.\\d %");
                assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
                Object points = ((JavascriptExecutor) browser).executeScript(
                        "return Chart.getChart('chart-messages').data.labels.length");
                assertThat(((Number) points).intValue()).isPositive();
            });
            WebElement row = browser.findElements(By.cssSelector("#topics tbody tr")).get(0);
            topic = row.getAttribute("data-topic");
            before = policyOf(base, topic);
            String target = "zmq-first".equals(before) ? "zmq" : "zmq-first";
            row.findElement(By.cssSelector("select option[value='" + target + "']")).click();
            row.findElement(By.cssSelector("button.set-policy")).click();

            String selector = "#topics tbody tr[data-topic='" + topic + "'] .topic-policy";
            Awaitility.await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() ->
                    target.equals(browser.findElement(By.cssSelector(selector)).getText()));
            assertThat(policyOf(base, topic)).isEqualTo(target);

            Path png = screenshotPath();
            Files.createDirectories(png.getParent());
            File shot = browser.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), png, StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(png)).isPositive();
        } finally {
            browser.quit();
            if (topic != null) {
                restore(base, topic, before);
            }
        }
    }

    private static String policyOf(String base, String topic) throws Exception {
        JsonNode fleet = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/dashboard/fleet"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        JsonNode policy = fleet.path("topics").path(topic);
        return policy.isString() ? policy.asString() : null;
    }

    private static void restore(String base, String topic, String policy) throws Exception {
        URI uri = URI.create(base + "/api/v1/dashboard/policies/topics/" + topic);
        HttpRequest request = policy == null ? HttpRequest.newBuilder(uri).DELETE().build()
                : HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"policy\":\"" + policy + "\"}")).build();
        HTTP.send(request, HttpResponse.BodyHandlers.discarding());
    }

    /** {@code docs/img/dashboard.png} of the repository (tests run in {@code gateway-service/}). */
    private static Path screenshotPath() {
        Path root = Files.isDirectory(Path.of("..", "docs")) ? Path.of("..") : Path.of(".");
        return root.resolve("docs").resolve("img").resolve("dashboard.png").toAbsolutePath().normalize();
    }

    private static boolean answers(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Path> executable(String... names) {
        List<String> path = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        return Stream.of(names).flatMap(n -> path.stream().map(dir -> Path.of(dir, n)))
                .filter(Files::isExecutable).findFirst();
    }

    private static Optional<Path> existing(String... paths) {
        return Stream.of(paths).map(Path::of).filter(Files::isExecutable).findFirst();
    }
}
