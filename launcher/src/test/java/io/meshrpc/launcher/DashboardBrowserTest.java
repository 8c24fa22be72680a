package io.meshrpc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import io.meshrpc.launcher.http.Http;
import tools.jackson.databind.JsonNode;

/**
 * The migration dashboard ({@code /dashboard} on the gateway) in a real browser, against the run's
 * demo cluster ({@link SharedDemoCluster}, the one {@link DemoClusterEndToEndTest} used) while
 * instances are booted and deleted through the gateway: headless Chromium (Debian's {@code chromium}
 * and {@code chromium-driver}, driven by Selenium) sees nodes and charts with real numbers, sets a
 * topic's and a node's policy by clicking, sees each change in the matchmaker's API and on the page
 * (and the calls to that node move to the broker), puts each policy back by clicking, and sees the
 * agents' notifications in the Events panel.
 *
 * <p>Skipped, with the reason, when Chromium or chromedriver is not installed: the browser is never
 * faked. {@code -Ddashboard.url=http://127.0.0.1:8080} runs it against an already running gateway
 * (e.g. {@code bin/demo up}) instead of the test's cluster (skipped when nothing answers there).
 *
 * <p>The screenshot goes to {@code launcher/target/dashboard.png}, and also to the file given with
 * {@code -Ddashboard.screenshot=docs/img/dashboard.png} (relative to the repository).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedDemoCluster.class)
@Order(2) // after DemoClusterEndToEndTest, on the cluster it started
class DashboardBrowserTest {

    private static final Pattern PERCENT = Pattern.compile("(\\d+\\.\\d) %");
    private static final Pattern HEARTBEAT = Pattern.compile("\\d+\\.\\d s ago");
    private static final String NO_OVERRIDE = "none (node configuration)";

    private final Http http = new Http(Duration.ofSeconds(10));
    private String gateway;
    private String matchmaker;
    private String gatewayNode;
    private Traffic traffic;
    private ChromeDriver browser;
    /** Why the tests skip ({@code null}: they run). */
    private String skipReason;
    /** Overrides this test changed, with the value to put back ({@code null}: none), in case a test fails midway. */
    private final List<String[]> toRestore = new ArrayList<>();

    @BeforeAll
    void openTheDashboardWhileInstancesBoot(SharedDemoCluster.Handle shared) throws IOException {
        Optional<Path> chromium = executable("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
        Optional<Path> driver = executable("chromedriver").or(() -> existing("/usr/lib/chromium/chromedriver",
                "/usr/lib/chromium-browser/chromedriver"));
        String manual = System.getProperty("dashboard.url", "").strip().replaceAll("/+$", "");
        if (chromium.isEmpty()) {
            skipReason = "no Chromium on the PATH (chromium, chromium-browser, google-chrome, google-chrome-stable); "
                    + "Debian: apt-get install chromium chromium-driver";
        } else if (driver.isEmpty()) {
            skipReason = "no chromedriver on the PATH nor in /usr/lib/chromium; Debian: apt-get install chromium-driver";
        } else if (!manual.isEmpty() && !answers(manual + "/api/v1/dashboard/config")) {
            skipReason = "-Ddashboard.url=" + manual + ": no gateway with the dashboard answers there (bin/demo up?)";
        }
        if (skipReason != null) {
            return; // each test reports the reason (surefire does not show a class-level skip)
        }
        gateway = manual.isEmpty() ? shared.state().gateway().baseUrl() : manual;
        matchmaker = http.get(gateway + "/api/v1/dashboard/config").body().path("matchmakerUrl").asString();
        gatewayNode = http.get(gateway + "/api/v1/dashboard/rates?since=0").body().path("nodeId").asString();
        traffic = new Traffic(gateway + "/api/v1/servers").start();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1900", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.get(gateway + "/dashboard/?refresh=1");
    }

    @BeforeEach
    void skipWithoutABrowser() {
        Assumptions.assumeTrue(skipReason == null, () -> skipReason);
    }

    @AfterAll
    void closeTheBrowserAndPutPoliciesBack() throws IOException {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (traffic != null) {
                traffic.close();
            }
            for (String[] r : toRestore) {
                String url = matchmaker + "/api/v1/policies/" + r[0] + "/" + r[1];
                if (r[2] == null) {
                    http.delete(url);
                } else {
                    http.put(url, Map.of("policy", r[2]));
                }
            }
        }
    }

    @Test
    @Order(1)
    void theTilesTheNodesTableAndTheChartsShowTheClustersRealNumbers() {
        page().untilAsserted(() -> {
            assertThat(browser.findElement(By.id("error")).isDisplayed()).as("the page's error box").isFalse();

            int nodes = Integer.parseInt(text(By.id("tile-nodes")));
            List<WebElement> rows = browser.findElements(By.cssSelector("#nodes tbody tr"));
            assertThat(rows).isNotEmpty().hasSize(nodes);
            assertThat(text(By.id("tile-zmq-live"))).matches("[1-9]\\d* / " + nodes);
            assertThat(percent(text(By.id("tile-share-zmq"))) + percent(text(By.id("tile-share-amqp"))))
                    .as("fleet shares").isCloseTo(100.0, within(0.2));
            assertThat(Double.parseDouble(text(By.id("tile-rate")))).as("gateway msgs/s").isPositive();

            for (WebElement row : rows) {
                List<WebElement> cells = row.findElements(By.tagName("td"));
                assertThat(cells.get(1).getText()).isIn("LIVE", "STATIC");
                assertThat(cells.get(3).getText()).as("heartbeat of " + cells.get(0).getText()).matches(HEARTBEAT);
                // a node that has neither sent nor received anything yet has no share: "– zmq"
                assertThat(cells.get(6).getText()).as("share of " + cells.get(0).getText())
                        .matches("(\\d+\\.\\d %|–) zmq");
            }
            WebElement gatewayRow = nodeRow(gatewayNode);
            assertThat(gatewayRow.findElements(By.tagName("td")).get(2).getText()).isEqualTo("live");
            assertThat(gatewayRow.findElements(By.tagName("td")).get(6).getText()).matches("\\d+\\.\\d % zmq");
            assertThat(count(gatewayRow, "sent", "zmq") + count(gatewayRow, "sent", "amqp"))
                    .as("messages the gateway sent").isPositive();

            List<List<Number>> messages = chartData("chart-messages");
            assertThat(max(messages.get(0)) + max(messages.get(1))).as("gateway sent msgs/s, highest point").isPositive();
            List<List<Number>> latency = chartData("chart-latency");
            assertThat(max(latency.get(0))).as("p50 call latency, highest point (ms)").isPositive();
            assertThat(chartData("chart-failovers").get(0)).as("failover points").isNotEmpty();
            List<List<Number>> share = chartData("chart-share");
            assertThat(share.get(0)).as("share bars: the fleet and each node").hasSize(nodes + 1);
            assertThat(share.get(0).get(0).doubleValue() + share.get(1).get(0).doubleValue())
                    .as("fleet bar, % zmq + % amqp").isCloseTo(100.0, within(0.2));
        });
    }

    @Test
    @Order(2)
    void aTopicPolicySetByClickingReachesTheMatchmakerAndThePageAndClearingPutsItBack() throws IOException {
        List<String> topics = new ArrayList<>();
        http.get(gateway + "/api/v1/dashboard/summary").body().path("topics")
                .forEach(t -> topics.add(t.path("topic").asString()));
        assertThat(topics).isNotEmpty();
        String topic = topics.contains("consoleauth") ? "consoleauth" : topics.get(0);
        String before = override("topics", topic);
        String target = "amqp".equals(before) ? "zmq-first" : "amqp";
        String row = "#topics tbody tr[data-topic='" + topic + "']";
        String servingNode = nodesServing(topic).get(0);
        toRestore.add(new String[] {"topics", topic, before});

        click(row, target, () -> target.equals(override("topics", topic)));

        page().untilAsserted(() -> {
            assertThat(text(By.cssSelector(row + " .topic-policy"))).isEqualTo(target);
            assertThat(text(By.cssSelector(nodeSelector(servingNode) + " .node-policy")))
                    .contains(topic + ": " + target);
        });

        click(row, before, () -> Objects.equals(before, override("topics", topic)));

        page().untilAsserted(() -> assertThat(text(By.cssSelector(row + " .topic-policy")))
                .isEqualTo(before == null ? NO_OVERRIDE : before));
    }

    @Test
    @Order(3)
    void aNodePolicySetToAmqpByClickingMovesTheCallsToThatNodeToTheBrokerAndClearingPutsItBack() throws Exception {
        String node = schedulerNode();
        String before = override("nodes", node);
        String row = nodeSelector(node);
        long amqpBefore = receivedOverAmqp(node);
        toRestore.add(new String[] {"nodes", node, before});

        click(row, "amqp", () -> "amqp".equals(override("nodes", node)));

        page().untilAsserted(() -> assertThat(text(By.cssSelector(row + " .node-policy"))).startsWith("node: amqp"));
        // every boot calls a scheduler (round robin): the gateway's calls to this one now go through the
        // broker, and the scheduler's heartbeat counts them as received over AMQP
        page().untilAsserted(() -> assertThat(count(browser.findElement(By.cssSelector(row)), "received", "amqp"))
                .as("messages " + node + " received over AMQP").isGreaterThan(amqpBefore));
        // and the gateway's chart shows messages sent over AMQP in one of its latest points
        page().untilAsserted(() -> {
            List<Number> sentAmqp = chartData("chart-messages").get(1);
            assertThat(max(sentAmqp.subList(Math.max(0, sentAmqp.size() - 3), sentAmqp.size())))
                    .as("gateway msgs/s sent over AMQP, latest points").isPositive();
        });
        screenshot();

        click(row, before, () -> Objects.equals(before, override("nodes", node)));

        page().untilAsserted(() -> assertThat(text(By.cssSelector(row + " .node-policy")))
                .startsWith(before == null ? "" : "node: " + before)
                .doesNotStartWith(before == null ? "node:" : "node: amqp"));
    }

    @Test
    @Order(4)
    void theEventsPanelListsTheNotificationsOfTheInstancesBootedNewestFirst() {
        page().untilAsserted(() -> {
            assertThat(browser.findElement(By.id("events")).getDomAttribute("data-enabled"))
                    .as("the feed is on: the demo's gateway has a broker").isEqualTo("true");
            List<List<String>> rows = eventRows();
            assertThat(rows).isNotEmpty().hasSizeLessThanOrEqualTo(20);
            assertThat(rows).allSatisfy(cells -> {
                assertThat(cells).hasSize(4);
                assertThat(cells.get(0)).as("time").isNotBlank();
                assertThat(cells.get(1)).as("type").matches("[a-z_]+(\\.[a-z_]+)+");
            });
            // every 250 ms a boot: agents announce the builds they end, schedulers the hosts they pick
            List<String> created = rows.stream().filter(c -> c.get(1).equals("compute.instance.create.end"))
                    .map(c -> c.get(2) + " " + c.get(3)).toList();
            assertThat(created).as("compute.instance.create.end rows: publisher and summary").isNotEmpty()
                    .allMatch(r -> r.matches("compute-\\d+ instanceId=[0-9a-f-]{36}, host=compute-\\d+, status=ACTIVE"));
            assertThat(text(By.id("events-status"))).contains("newest first", "pool gateway-feed");
        });
    }

    // ---- clicking ----

    /**
     * Picks {@code policy} in the row's select and clicks <em>set</em> ({@code null}: clicks <em>clear</em>)
     * until {@code done}. The page re-renders its tables every second: a click on a row that was just
     * replaced fails (stale element) and is made again on the new row.
     */
    private void click(String row, String policy, Callable<Boolean> done) {
        page().until(() -> {
            if (done.call()) {
                return true;
            }
            WebElement controls = browser.findElement(By.cssSelector(row + " .policy-controls"));
            if (policy == null) {
                controls.findElement(By.cssSelector("button.clear-policy")).click();
            } else {
                controls.findElement(By.cssSelector("option[value='" + policy + "']")).click();
                controls.findElement(By.cssSelector("button.set-policy")).click();
            }
            return false;
        });
    }

    private ConditionFactory page() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .ignoreExceptions();
    }

    // ---- what the page shows ----

    private String text(By by) {
        return browser.findElement(by).getText();
    }

    private WebElement nodeRow(String node) {
        return browser.findElement(By.cssSelector(nodeSelector(node)));
    }

    private static String nodeSelector(String node) {
        return "#nodes tbody tr[data-node='" + node + "']";
    }

    /** A count from a node row's <em>messages</em> cell ("sent: zmq 12, amqp 3 / received: ..."); 0 when absent. */
    private static long count(WebElement row, String direction, String transport) {
        String cell = row.findElements(By.tagName("td")).get(7).getText();
        for (String line : cell.split("\n")) {
            if (line.startsWith(direction + ":")) {
                Matcher m = Pattern.compile("\\b" + transport + " (\\d+)").matcher(line);
                return m.find() ? Long.parseLong(m.group(1)) : 0;
            }
        }
        throw new AssertionError("no '" + direction + ":' line in " + cell);
    }

    private static double percent(String tile) {
        Matcher m = PERCENT.matcher(tile);
        assertThat(m.matches()).as("a percentage: " + tile).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /**
     * The cells of the Events table, read in one script: its rows are replaced as new events arrive
     * (every second here), faster than cell by cell over WebDriver.
     */
    @SuppressWarnings("unchecked")
    private List<List<String>> eventRows() {
        return (List<List<String>>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('#events tbody tr')].map(r => [...r.cells].map(c => c.innerText))");
    }

    /** The data of each dataset of a Chart.js chart on the page. */
    @SuppressWarnings("unchecked")
    private List<List<Number>> chartData(String canvas) {
        return (List<List<Number>>) ((JavascriptExecutor) browser).executeScript(
                "return Chart.getChart(arguments[0]).data.datasets.map(d => d.data)", canvas);
    }

    private static double max(List<Number> points) {
        return points.stream().filter(java.util.Objects::nonNull).mapToDouble(Number::doubleValue).max().orElse(0);
    }

    /** The whole page: the window is first made as tall as the page (a height change does not re-lay the charts out). */
    private void screenshot() throws IOException {
        JavascriptExecutor js = browser;
        Dimension window = browser.manage().window().getSize();
        int frame = window.getHeight() - ((Number) js.executeScript("return window.innerHeight")).intValue();
        int page = ((Number) js.executeScript(
                "return Math.ceil(document.querySelector('footer').getBoundingClientRect().bottom + window.scrollY) + 16"))
                .intValue();
        browser.manage().window().setSize(new Dimension(window.getWidth(), page + frame));
        Path png = SharedDemoCluster.ROOT.resolve("launcher/target/dashboard.png");
        Files.createDirectories(png.getParent());
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), png, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(png)).isPositive();
        String wanted = System.getProperty("dashboard.screenshot", "").strip();
        if (!wanted.isEmpty()) {
            Path copy = SharedDemoCluster.ROOT.resolve(wanted).normalize();
            Files.createDirectories(copy.getParent());
            Files.copy(png, copy, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ---- the matchmaker and the gateway's fleet views ----

    /** The matchmaker's override for a topic or node ({@code GET /api/v1/policies}), or null. */
    private String override(String scope, String name) throws IOException {
        JsonNode policy = http.get(matchmaker + "/api/v1/policies").body().path(scope).path(name);
        return policy.isString() ? policy.asString() : null;
    }

    /** What the page's row shows: the node's messages received over AMQP, from the gateway's page of nodes. */
    private long receivedOverAmqp(String node) throws IOException {
        for (JsonNode n : http.get(gateway + "/api/v1/dashboard/nodes?q=" + node).body().path("nodes")) {
            if (node.equals(n.path("nodeId").asString())) {
                return n.path("received").path("amqp").asLong(0);
            }
        }
        throw new AssertionError(node + " is not in the fleet view");
    }

    private List<String> nodesServing(String topic) throws IOException {
        List<String> nodes = new ArrayList<>();
        for (JsonNode n : http.get(gateway + "/api/v1/dashboard/nodes?limit=500&topic=" + topic).body()
                .path("nodes")) {
            n.path("topics").forEach(t -> {
                if (topic.equals(t.asString())) {
                    nodes.add(n.path("nodeId").asString());
                }
            });
        }
        assertThat(nodes).as("nodes serving " + topic).isNotEmpty();
        return nodes.stream().sorted().toList();
    }

    /** A heartbeating scheduler with a live ZeroMQ receiver that is not on amqp yet. */
    private String schedulerNode() throws IOException {
        JsonNode schedulers = http.get(gateway + "/api/v1/dashboard/nodes?limit=500&topic=scheduler").body();
        List<String> candidates = new ArrayList<>();
        for (JsonNode n : schedulers.path("nodes")) {
            if ("LIVE".equals(n.path("state").asString()) && n.path("zmqLive").asBoolean()
                    && !"amqp".equals(n.path("policies").path("scheduler").asString(""))
                    && n.path("heartbeatAgeSeconds").asDouble(99) < 5) {
                n.path("topics").forEach(t -> {
                    if ("scheduler".equals(t.asString())) {
                        candidates.add(n.path("nodeId").asString());
                    }
                });
            }
        }
        assertThat(candidates).as("live schedulers not on amqp").isNotEmpty();
        return candidates.stream().sorted().findFirst().orElseThrow();
    }

    private boolean answers(String url) {
        try {
            return http.get(url).status() == 200;
        } catch (IOException ex) {
            return false;
        }
    }

    // ---- the browser on this machine ----

    private static Optional<Path> executable(String... names) {
        List<String> path = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        return Stream.of(names).flatMap(n -> path.stream().map(dir -> Path.of(dir, n)))
                .filter(Files::isExecutable).findFirst();
    }

    private static Optional<Path> existing(String... paths) {
        return Stream.of(paths).map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /**
     * Traffic while the page is watched: every 250 ms one instance (1 vCPU, 256 MiB) is booted
     * through the gateway's public API, and those that settled are deleted: each boot is a call to a
     * scheduler and casts between the gateway and an agent.
     */
    private static final class Traffic implements AutoCloseable {

        private final Http http = new Http(Duration.ofSeconds(10));
        private final String servers;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dashboard-traffic");
            t.setDaemon(true);
            return t;
        });
        /** Only the timer thread touches it until {@link #close()} has stopped the timer. */
        private final Deque<String> booting = new ArrayDeque<>();
        private int sequence;

        Traffic(String servers) {
            this.servers = servers;
        }

        Traffic start() {
            timer.scheduleWithFixedDelay(this::tick, 0, 250, TimeUnit.MILLISECONDS);
            return this;
        }

        private void tick() {
            try {
                Http.Reply boot = http.post(servers, Map.of("name", "dashboard-" + ++sequence, "vcpus", 1,
                        "ramMb", 256));
                if (boot.status() == 202) {
                    booting.add(boot.body().path("id").asString());
                }
                for (Iterator<String> it = booting.iterator(); it.hasNext();) {
                    String id = it.next();
                    Http.Reply s = http.get(servers + "/" + id);
                    if (s.status() != 200 || !"BUILDING".equals(s.body().path("status").asString())) {
                        http.delete(servers + "/" + id);
                        it.remove();
                    }
                }
            } catch (IOException | RuntimeException ex) {
                // a busy or restarting cluster: the next tick tries again (an exception would end the timer)
            }
        }

        @Override
        public void close() {
            timer.shutdownNow();
            try {
                timer.awaitTermination(20, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            for (String id : booting) {
                try {
                    http.delete(servers + "/" + id);
                } catch (IOException ex) {
                    // the cluster stops at the end of the run anyway
                }
            }
        }
    }
}
