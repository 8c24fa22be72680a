package io.meshrpc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import io.meshrpc.launcher.cluster.HealthWatch;
import io.meshrpc.launcher.cluster.Ports;
import io.meshrpc.launcher.cluster.ProcessStarter;
import io.meshrpc.launcher.cluster.ServiceKind;
import io.meshrpc.launcher.cluster.ServiceProcess;
import io.meshrpc.launcher.http.Http;
import tools.jackson.databind.JsonNode;

/**
 * The migration dashboard at fleet size, in headless Chromium: a matchmaker holding 10,000 nodes (registered through
 * its REST API, {@link SimulatedFleet}) and a gateway pointed at it, both started from their jars as in the demo. The
 * page shows the summary and the first page of the node table (the time to its first complete render is printed,
 * measured in the browser with {@code performance.now()}, not asserted: speed belongs in the benchmarks, and a loaded
 * machine took 1.2 s once), finds one node among the 10,000 by search, and pages through them; each refresh reads
 * the summary and one page, never the whole fleet.
 *
 * <p>The gateway's own mesh node uses a static matchmaker: its RPC client would otherwise read the whole fleet every
 * second, which is not the dashboard's doing. Skipped, with the reason, without Chromium or chromedriver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(0) // before the shared demo cluster starts, so that its dozen JVMs do not run during the measurement
class FleetScaleDashboardBrowserTest {

    static final int NODES = 10_000;
    static final Path STATE = SharedDemoCluster.ROOT.resolve("launcher/target/fleet-scale");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Http http = new Http(Duration.ofSeconds(10));
    private final List<ServiceProcess> processes = new ArrayList<>();
    private String matchmaker;
    private String gateway;
    private ChromeDriver browser;
    private String skipReason;

    @BeforeAll
    void startAMatchmakerHoldingTenThousandNodesAndAGatewayPointedAtIt() throws IOException {
        skipReason = HeadlessChromium.missing().orElse(null);
        if (skipReason != null) {
            return; // each test reports the reason
        }
        ProcessStarter starter = new ProcessStarter(SharedDemoCluster.ROOT, STATE);
        Ports ports = new Ports(Set.of());
        int matchmakerPort = ports.take(18500);
        int gatewayPort = ports.take(18080);
        matchmaker = "http://127.0.0.1:" + matchmakerPort;
        gateway = "http://127.0.0.1:" + gatewayPort;
        processes.add(starter.start("fleet-matchmaker", ServiceKind.MATCHMAKER, matchmakerPort, 0, List.of(
                "--server.port=" + matchmakerPort, "--spring.main.banner-mode=off")));
        int zmqPort = ports.take(19501);
        processes.add(starter.start("fleet-gateway", ServiceKind.GATEWAY, gatewayPort, zmqPort, List.of(
                "--server.port=" + gatewayPort, "--spring.main.banner-mode=off", "--meshrpc.node-id=fleet-gateway",
                "--meshrpc.zmq.port=" + zmqPort, "--meshrpc.zmq.bind-host=127.0.0.1",
                "--meshrpc.matchmaker.type=static", "--meshrpc.matchmaker.url=" + matchmaker)));
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopProcesses));
        new HealthWatch(new Out(System.err, System.out)).await(processes, START_TIMEOUT);

        long start = System.nanoTime();
        SimulatedFleet fleet = new SimulatedFleet(matchmaker);
        fleet.register(NODES, 6);
        fleet.policy("topics", "compute", "zmq-first");
        fleet.policy("nodes", SimulatedFleet.nodeId(7), "amqp");
        fleet.policy("nodes", SimulatedFleet.nodeId(42), "zmq");
        System.out.printf("registered %d nodes in %.1f s%n", NODES, (System.nanoTime() - start) / 1e9);

        // a dashboard is opened on services that have been running: their first requests are not the page's
        for (int i = 0; i < 20; i++) {
            http.get(gateway + "/api/v1/dashboard/summary");
            http.get(gateway + "/api/v1/dashboard/nodes?offset=" + 50 * i + "&limit=50&q=&topic=");
        }
        browser = HeadlessChromium.start(1400, 1900);
    }

    @BeforeEach
    void skipWithoutABrowser() {
        Assumptions.assumeTrue(skipReason == null, () -> skipReason);
    }

    @AfterAll
    void closeTheBrowserAndStopTheServices() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            stopProcesses();
        }
    }

    @Test
    @Order(1)
    void theSummaryAndTheFirstPageOfTenThousandNodesRenderAndARefreshReadsNoMoreThanThem() throws Exception {
        browser.get(gateway + "/dashboard/");
        String firstRender = page().until(() -> browser.findElement(By.tagName("body"))
                .getDomAttribute("data-first-render-ms"), Objects::nonNull);
        double renderMs = Double.parseDouble(firstRender);
        System.out.printf("first complete render %.0f ms after navigation start%n", renderMs);

        JsonNode summary = http.get(gateway + "/api/v1/dashboard/summary").body();
        // the page refreshes every 3 s: a row read while it is replaced is read again
        page().untilAsserted(() -> {
            assertThat(browser.findElement(By.id("error")).isDisplayed()).as("the page's error box").isFalse();
            assertThat(text("tile-nodes")).isEqualTo("10000");
            assertThat(text("tile-zmq-live")).isEqualTo("8000 / 10000"); // every 5th node is on AMQP only
            assertThat(text("tile-share-zmq")).isEqualTo(percent(summary.path("share").path("zmq").asDouble()));
            assertThat(text("tile-share-amqp")).isEqualTo(percent(summary.path("share").path("amqp").asDouble()));
            // compute runs zmq-first by its topic override, but for one node on amqp and one on zmq; scheduler and
            // consoleauth (every 100th node) have no override
            assertThat(Map.of("zmq", text("policy-zmq"), "amqp", text("policy-amqp"),
                    "zmq-first", text("policy-zmq-first"), "none", text("policy-none")))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("zmq", "1", "amqp", "1", "zmq-first", "9998",
                            "none", "100"));
            assertThat(cells("#topics tbody tr", 0)).containsExactly("compute", "consoleauth", "scheduler");
            assertThat(cells("#topics tbody tr", 1)).containsExactly("10000", "10", "100");
            assertThat(text(By.cssSelector("#topics tr[data-topic='compute'] .topic-policy"))).isEqualTo("zmq-first");
            assertThat(text(By.cssSelector("#topics tr[data-topic='compute'] .topic-in-force")))
                    .isEqualTo("zmq 1, amqp 1, zmq-first 9998");

            List<String> ids = cells("#nodes tbody tr", 0);
            assertThat(ids).hasSize(50).startsWith("node-00001", "node-00002").endsWith("node-00050");
            assertThat(text("page-info")).isEqualTo("1–50 of 10000");
            assertThat(text(By.cssSelector("#nodes tr[data-node='node-00007'] .node-policy"))).startsWith("node: amqp");
            assertThat(chartLabels("chart-share")).as("the share chart: the fleet, then the page's nodes").hasSize(51);
        });

        // the second refresh (3 s after the first) asks only for the rate points since the first
        List<Map<String, Object>> requests = page().until(this::dashboardRequests,
                r -> r.stream().filter(e -> ((String) e.get("name")).contains("/summary")).count() >= 2);
        assertThat(requests).extracting(r -> (String) r.get("name"))
                .noneMatch(url -> url.contains("/dashboard/fleet") || url.contains("/api/v1/nodes"));
        long refreshBytes = 0;
        for (String part : List.of("/summary", "/nodes?", "/rates?")) {
            Map<String, Object> latest = requests.stream().filter(r -> ((String) r.get("name")).contains(part))
                    .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no request for " + part));
            long body = ((Number) latest.get("encodedBodySize")).longValue();
            System.out.printf("refresh: %s %d bytes of body (%d transferred)%n", latest.get("name"), body,
                    ((Number) latest.get("transferSize")).longValue());
            refreshBytes += body;
        }
        System.out.printf("one refresh: %d bytes; the full fleet view GET /api/v1/nodes: %d bytes%n", refreshBytes,
                bytes(matchmaker + "/api/v1/nodes"));
        assertThat(refreshBytes).as("bytes of one refresh").isLessThan(100_000);
    }

    @Test
    @Order(2)
    void nextAndPreviousPageThroughTheFleetAndATopicFilterNarrowsIt() {
        browser.findElement(By.id("page-next")).click();
        page().untilAsserted(() -> {
            assertThat(cells("#nodes tbody tr", 0)).hasSize(50).startsWith("node-00051").endsWith("node-00100");
            assertThat(text("page-info")).isEqualTo("51–100 of 10000");
        });
        browser.findElement(By.id("page-prev")).click();
        page().untilAsserted(() -> {
            assertThat(cells("#nodes tbody tr", 0)).startsWith("node-00001");
            assertThat(text("page-info")).isEqualTo("1–50 of 10000");
            assertThat(browser.findElement(By.id("page-prev")).isEnabled()).isFalse();
        });

        browser.findElement(By.cssSelector("#node-topic option[value='scheduler']")).click();
        page().untilAsserted(() -> {
            assertThat(cells("#nodes tbody tr", 0)).hasSize(50).startsWith("node-00100", "node-00200");
            assertThat(text("page-info")).isEqualTo("1–50 of 100 matching");
        });
        browser.findElement(By.cssSelector("#node-topic option[value='']")).click();
        page().untilAsserted(() -> assertThat(text("page-info")).isEqualTo("1–50 of 10000"));
    }

    @Test
    @Order(3)
    void searchFindsOneNodeAmongTenThousand() {
        browser.findElement(By.id("node-search")).sendKeys("NODE-04242");
        page().untilAsserted(() -> {
            assertThat(cells("#nodes tbody tr", 0)).containsExactly("node-04242");
            assertThat(text("page-info")).isEqualTo("1–1 of 1 matching");
            assertThat(browser.findElement(By.id("page-next")).isEnabled()).isFalse();
        });
        WebElement row = browser.findElement(By.cssSelector("#nodes tr[data-node='node-04242']"));
        assertThat(row.findElements(By.tagName("td")).get(4).getText()).isEqualTo("compute");
        assertThat(row.findElements(By.tagName("td")).get(5).getText()).isEqualTo("compute: zmq-first");
    }

    // ---- what the page shows ----

    private ConditionFactory page() {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions();
    }

    private String text(String id) {
        return text(By.id(id));
    }

    private String text(By by) {
        return browser.findElement(by).getText();
    }

    /** The text of one column of every row. */
    private List<String> cells(String rows, int column) {
        return browser.findElements(By.cssSelector(rows)).stream()
                .map(r -> r.findElements(By.tagName("td")).get(column).getText()).toList();
    }

    /** The page's own formatting of a fraction: {@code 81.9 %}. */
    private static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.1f %%", 100 * fraction);
    }

    @SuppressWarnings("unchecked")
    private List<Object> chartLabels(String canvas) {
        return (List<Object>) ((JavascriptExecutor) browser).executeScript(
                "return Chart.getChart(arguments[0]).data.labels", canvas);
    }

    /** The page's requests to the gateway's dashboard API, oldest first, with their sizes (Resource Timing). */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> dashboardRequests() {
        return (List<Map<String, Object>>) ((JavascriptExecutor) browser).executeScript("""
                return performance.getEntriesByType('resource')
                    .filter(e => e.name.includes('/api/v1/'))
                    .map(e => ({name: e.name, transferSize: e.transferSize, encodedBodySize: e.encodedBodySize}))""");
    }

    private static long bytes(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body().length;
    }

    private void stopProcesses() {
        for (ServiceProcess p : processes) {
            p.handle().ifPresent(ProcessHandle::destroy);
        }
        for (ServiceProcess p : processes) {
            p.handle().ifPresent(h -> h.onExit().orTimeout(20, TimeUnit.SECONDS)
                    .exceptionally(ex -> {
                        h.destroyForcibly();
                        return h;
                    }).join());
        }
    }
}
