package io.meshrpc.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import io.meshrpc.fakecloud.FakeCloud;
import io.meshrpc.gateway.servers.ServerRegistry;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.web.HttpLimitsProperties;
import io.meshrpc.web.RefusalMetrics;
import io.meshrpc.web.testing.RawHttp;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The gateway bounds what a client sends before it parses it, as the matchmaker does: a huge boot request is refused
 * with 413 before (Content-Length) or one byte after (chunked) the limit, every field of the boot body has one JSON
 * type, Tomcat's own refusals are problems, and the gateway goes on booting servers. Nothing refused reaches the
 * scheduler.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"meshrpc.node-id=gateway-web", "meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1",
                "gateway.rpc-timeout=1s", "gateway.describe-timeout=500ms"})
class BoundedGatewayInputTest {

    @TestConfiguration
    static class Directory {
        @Bean
        InMemoryMatchmaker matchmaker() {
            return new InMemoryMatchmaker();
        }
    }

    private static final long TWENTY_MB = 20L * 1024 * 1024;
    private static final String SERVERS = "/api/v1/servers";

    @LocalServerPort
    int port;

    @Autowired
    Matchmaker matchmaker;

    @Autowired
    ServerRegistry servers;

    @Autowired
    HttpLimitsProperties limits;

    @Autowired
    MeterRegistry meters;

    private FakeCloud cloud;
    private RawHttp http;
    private int serversBefore;

    @BeforeEach
    void startCloud() {
        cloud = new FakeCloud(matchmaker);
        http = new RawHttp(port);
        serversBefore = servers.all().size();
    }

    @AfterEach
    void stopCloud() {
        cloud.close();
    }

    @Test
    void aTwentyMegabyteBootRequestIsRefusedFromItsContentLengthBeforeItIsRead() throws Exception {
        double readBefore = bodyRead().totalAmount();

        RawHttp.Answer answer = http.exchange("POST", SERVERS,
                Map.of("Content-Type", "application/json", "Content-Length", Long.toString(TWENTY_MB)), null);

        assertProblem(answer, 413);
        assertThat(bodyRead().totalAmount()).isEqualTo(readBefore);
        assertNothingWrittenAndBootsGoOn();
    }

    @Test
    void aTwentyMegabyteChunkedBootRequestIsReadNoFurtherThanTheLimit() throws Exception {
        DistributionSummary read = bodyRead();
        double readBefore = read.totalAmount();

        for (int i = 0; i < 10; i++) {
            assertProblem(http.chunked("POST", SERVERS, "{\"name\":\"vm\",\"vcpus\":1,\"ramMb\":512,\"junk\":[",
                    "1234567,", TWENTY_MB), 413);
        }

        assertThat(read.totalAmount() - readBefore).as("bytes read of 10 bodies of 20 MB")
                .isEqualTo(10 * (limits.maxBodySize().toBytes() + 1));
        assertNothingWrittenAndBootsGoOn();
    }

    @Test
    void aBootRequestOneByteOverTheLimitIsRefused() throws Exception {
        String head = "{\"name\":\"vm\",\"vcpus\":1,\"ramMb\":512";
        byte[] over = (head + " ".repeat((int) limits.maxBodySize().toBytes() + 1 - head.length() - 1) + "}")
                .getBytes(StandardCharsets.UTF_8);
        assertProblem(http.exchange("POST", SERVERS, Map.of("Content-Type", "application/json",
                "Content-Length", Integer.toString(over.length)), over), 413);
        assertNothingWrittenAndBootsGoOn();
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                row("a number for name", "{\"name\":5,\"vcpus\":1,\"ramMb\":512}", "name", "expected a string"),
                row("a boolean for name", "{\"name\":true,\"vcpus\":1,\"ramMb\":512}", "name", "expected a string"),
                row("a string for vcpus", "{\"name\":\"vm\",\"vcpus\":\"2\",\"ramMb\":512}", "vcpus",
                        "expected an integer"),
                row("a fraction for vcpus", "{\"name\":\"vm\",\"vcpus\":1.5,\"ramMb\":512}", "vcpus",
                        "expected an integer"),
                row("a whole float for ramMb", "{\"name\":\"vm\",\"vcpus\":1,\"ramMb\":512.0}", "ramMb",
                        "expected an integer"),
                row("a boolean for ramMb", "{\"name\":\"vm\",\"vcpus\":1,\"ramMb\":true}", "ramMb",
                        "expected an integer"),
                row("ramMb beyond an int", "{\"name\":\"vm\",\"vcpus\":1,\"ramMb\":4294967296}", "ramMb",
                        "expected an integer in the range"),
                row("an array for the body", "[{\"name\":\"vm\",\"vcpus\":1,\"ramMb\":512}]", "body", "wrong shape"),
                row("nesting beyond the limit", "{\"name\":\"vm\",\"vcpus\":1,\"ramMb\":512,\"x\":"
                        + "[".repeat(40) + "]".repeat(40) + "}", "body", "nesting depth"),
                row("malformed JSON", "{\"name\":", "body", "not valid JSON"));
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void aBootRequestWithAValueOfTheWrongTypeIsRefusedNamingTheField(String body, String field, String detail)
            throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer answer = http.exchange("POST", SERVERS, Map.of("Content-Type", "application/json",
                "Content-Length", Integer.toString(bytes.length)), bytes);

        assertProblem(answer, 400);
        assertThat(answer.body()).contains("\"field\":\"" + field + "\"").contains(detail);
        assertThat(servers.all()).hasSize(serversBefore);
        assertThat(cloud.scheduler.requests).isEmpty();
    }

    static Stream<Arguments> refusedByTomcatOrThePathRule() {
        return Stream.of(
                Arguments.argumentSet("an oversized URL", "GET", SERVERS + "/" + "a".repeat(16 * 1024), Map.of()),
                Arguments.argumentSet("an oversized header", "GET", SERVERS, Map.of("X-Big", "b".repeat(16 * 1024))),
                Arguments.argumentSet("an encoded /", "GET", SERVERS + "/a%2Fb", Map.of()),
                Arguments.argumentSet("an encoded \\", "GET", SERVERS + "/a%5Cb", Map.of()),
                Arguments.argumentSet("an encoded NUL", "GET", SERVERS + "/a%00b", Map.of()),
                Arguments.argumentSet("a path parameter", "DELETE", SERVERS + "/abc;x", Map.of()),
                Arguments.argumentSet("a dot segment", "DELETE", SERVERS + "/x/../abc", Map.of()),
                Arguments.argumentSet("a malformed request line", "GET", SERVERS + "/{id}", Map.of()));
    }

    @ParameterizedTest
    @MethodSource("refusedByTomcatOrThePathRule")
    void aRequestRefusedBeforeTheApplicationIsAProblemToo(String method, String target, Map<String, String> headers)
            throws Exception {
        RawHttp.Answer answer = http.exchange(method, target, headers, null);

        assertThat(answer.status()).isIn(400, 414, 431);
        assertProblem(answer, answer.status());
        assertNothingWrittenAndBootsGoOn();
    }

    @Test
    void aClientsFaultIsAProblemNeverA500() throws Exception {
        byte[] body = "{\"name\":\"vm\",\"vcpus\":1,\"ramMb\":512}".getBytes(StandardCharsets.UTF_8);
        assertProblem(http.exchange("POST", SERVERS, Map.of("Content-Type", "text/plain",
                "Content-Length", Integer.toString(body.length)), body), 415);
        assertProblem(http.exchange("PUT", SERVERS, Map.of("Content-Type", "application/json",
                "Content-Length", Integer.toString(body.length)), body), 405);
        assertProblem(http.exchange("POST", SERVERS, Map.of("Content-Type", "application/json",
                "Content-Length", "0"), new byte[0]), 400);
        assertProblem(http.exchange("GET", "/error", Map.of(), null), 404);
        assertThat(servers.all()).hasSize(serversBefore);
    }

    @Test
    void aBootSucceedsRightAfterHugeBodiesWereRefused() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertProblem(http.chunked("POST", SERVERS, "{\"name\":\"vm\",\"junk\":[", "1234567,", TWENTY_MB), 413);
        }
        byte[] body = "{\"name\":\"after\",\"vcpus\":1,\"ramMb\":512}".getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer accepted = http.exchange("POST", SERVERS, Map.of("Content-Type", "application/json",
                "Content-Length", Integer.toString(body.length)), body);

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(servers.all()).hasSize(serversBefore + 1);
    }

    private void assertNothingWrittenAndBootsGoOn() throws Exception {
        assertThat(servers.all()).as("nothing written").hasSize(serversBefore);
        assertThat(cloud.scheduler.requests).as("nothing sent to the scheduler").isEmpty();
        RawHttp.Answer list = http.exchange("GET", SERVERS, Map.of(), null);
        assertThat(list.status()).isEqualTo(200);
    }

    private DistributionSummary bodyRead() {
        return meters.get(RefusalMetrics.BODY_READ).summary();
    }

    private static void assertProblem(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"status\":" + status).contains("\"detail\":");
    }

    private static Arguments row(String name, String body, String field, String detail) {
        return Arguments.argumentSet(name, body, field, detail);
    }
}
