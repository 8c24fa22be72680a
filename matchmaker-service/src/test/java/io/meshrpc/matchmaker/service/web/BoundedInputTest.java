package io.meshrpc.matchmaker.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.service.ApiTestBase;
import io.meshrpc.web.HttpLimitsProperties;
import io.meshrpc.web.RefusalMetrics;
import io.meshrpc.web.testing.RawHttp;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every byte a client sends is bounded before it is parsed: a body over the limit is refused with 413 before it is
 * read (Content-Length) or one byte past the limit (chunked), JSON beyond a parser limit with 400, and the service
 * goes on answering lookups. The proof that a refused body was not read is the service's own count of the bytes it
 * read of it ({@value RefusalMetrics#BODY_READ}), not a heap measurement.
 */
class BoundedInputTest extends ApiTestBase {

    private static final long TWENTY_MB = 20L * 1024 * 1024;
    private static final String JSON = "application/json";
    /** What ran the service out of heap: a stats object of a million keys. */
    private static final String REGISTRATION_WITH_STATS =
            "{\"topics\":[\"scheduler\"],\"endpoint\":\"tcp://10.0.0.5:9501\",\"stats\":{";
    private static final String STATS_ENTRY = "\"k1234567\":1,";

    @Autowired
    private HttpLimitsProperties limits;

    @Autowired
    private MeterRegistry meters;

    private RawHttp http;

    @BeforeEach
    void rawClient() {
        http = new RawHttp(port);
    }

    private long maxBody() {
        return limits.maxBodySize().toBytes();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/nodes/n1", "/api/v1/nodes/n1/stats", "/api/v1/policies/topics/scheduler",
            "/api/v1/ring", "/actuator/meshrpc"})
    void aTwentyMegabyteBodyIsRefusedFromItsContentLengthBeforeItIsRead(String path) throws Exception {
        double readBefore = bodyRead().totalAmount();
        // only the head goes out: the answer must come without the server waiting for the body
        RawHttp.Answer answer = http.exchange("PUT", path,
                Map.of("Content-Type", JSON, "Content-Length", Long.toString(TWENTY_MB)), null);

        assertProblem(answer, 413);
        assertThat(answer.body()).contains("\"field\":\"body\"");
        assertThat(bodyRead().totalAmount()).as("bytes of the body read").isEqualTo(readBefore);
        assertLookupsAreServed();
    }

    @Test
    void aTwentyMegabyteChunkedBodyIsRefusedOneByteAfterTheLimit() throws Exception {
        DistributionSummary read = bodyRead();
        long refusedBefore = read.count();
        double readBefore = read.totalAmount();

        RawHttp.Answer answer = http.chunked("PUT", "/api/v1/nodes/n1", REGISTRATION_WITH_STATS, STATS_ENTRY,
                TWENTY_MB);

        assertProblem(answer, 413);
        assertThat(read.count()).isEqualTo(refusedBefore + 1);
        assertThat(read.totalAmount() - readBefore).as("bytes of the body read").isEqualTo(maxBody() + 1);
        get("/api/v1/nodes/n1").expectStatus().isNotFound();
        assertLookupsAreServed();
    }

    @Test
    void twentyHugeBodiesInARowAreEachReadNoFurtherThanTheLimitAndLookupsGoOn() throws Exception {
        DistributionSummary read = bodyRead();
        double readBefore = read.totalAmount();
        for (int i = 0; i < 10; i++) {
            assertProblem(http.chunked("PUT", "/api/v1/nodes/n" + i + "/stats", "{", STATS_ENTRY, TWENTY_MB), 413);
            assertProblem(http.exchange("PUT", "/api/v1/nodes/n" + i,
                    Map.of("Content-Type", JSON, "Content-Length", Long.toString(TWENTY_MB)), null), 413);
        }
        assertThat(read.totalAmount() - readBefore).as("bytes read of 20 bodies of 20 MB")
                .isLessThanOrEqualTo(10 * (maxBody() + 1));
        assertLookupsAreServed();
    }

    @Test
    void aBodyOneByteOverTheLimitIsRefusedAndOneAtTheLimitIsParsed() throws Exception {
        byte[] over = paddedRegistration((int) maxBody() + 1);
        assertProblem(http.exchange("PUT", "/api/v1/nodes/n1", Map.of("Content-Type", JSON,
                "Content-Length", Integer.toString(over.length)), over), 413);

        byte[] atLimit = paddedRegistration((int) maxBody());
        RawHttp.Answer answer = http.exchange("PUT", "/api/v1/nodes/n1", Map.of("Content-Type", JSON,
                "Content-Length", Integer.toString(atLimit.length)), atLimit);
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }

    @Test
    void theLargestLegalRegistrationFitsWellWithinTheLimit() {
        StringBuilder topics = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            String topic = ("topic-" + i + "-").repeat(10).substring(0, 64);
            topics.append(i == 0 ? "" : ",").append('"').append(topic).append('"');
        }
        String stats = "{\"s\":\"" + "x".repeat(MatchmakerProtocol.MAX_STATS_BYTES - 10) + "\"}";
        String body = "{\"topics\":[" + topics + "],\"endpoint\":\"tcp://" + "h".repeat(60) + "." + "d".repeat(60)
                + ".example:65535\",\"transports\":[\"zmq\",\"amqp\"],\"ttlSeconds\":86400,"
                + "\"publicKey\":\"" + "0".repeat(40) + "\",\"stats\":" + stats + "}";

        put("/api/v1/nodes/" + "n".repeat(128), body).expectStatus().isCreated();
        assertThat((long) body.getBytes(StandardCharsets.UTF_8).length).isLessThan(maxBody() / 16);
    }

    @Test
    void aRingMayBeLargerThanOtherBodiesButIsBoundedToo() throws Exception {
        // over the default limit, under the ring's: parsed (and refused for its content, not its size)
        byte[] ring = paddedRing((int) maxBody() + 1024);
        RawHttp.Answer parsed = http.exchange("PUT", "/api/v1/ring", Map.of("Content-Type", JSON,
                "Content-Length", Integer.toString(ring.length)), ring);
        assertThat(parsed.status()).as(parsed.body()).isEqualTo(200);

        long ringLimit = limits.maxBodySizeByPath().get("/api/v1/ring").toBytes();
        assertProblem(http.exchange("PUT", "/api/v1/ring", Map.of("Content-Type", JSON,
                "Content-Length", Long.toString(ringLimit + 1)), null), 413);
    }

    @Test
    void aRingOfMoreTokensThanItsMostEntriesIsRefusedBeforeItBecomesATree() {
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < 400_100; i++) {
            hosts.append(i == 0 ? "" : ",").append('1');
        }
        client.put().uri("/api/v1/ring").contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body("{\"scheduler\":[" + hosts + "]}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("body")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("at most 100000"));
    }

    @Test
    void jsonJustBeyondEachParserLimitIsRefusedWith400AndNothingIsWritten() {
        HttpLimitsProperties.Json json = limits.json();
        String good = "\"topics\":[\"scheduler\"],\"endpoint\":\"tcp://10.0.0.5:9501\"";
        Map<String, String> bodies = Map.of(
                "nesting", "{" + good + ",\"stats\":" + "{\"a\":".repeat(json.maxNestingDepth()) + "1"
                        + "}".repeat(json.maxNestingDepth()) + "}",
                "string", "{" + good + ",\"publicKey\":\"" + "k".repeat(json.maxStringLength() + 1) + "\"}",
                "number", "{" + good + ",\"ttlSeconds\":" + "1".repeat(json.maxNumberLength() + 1) + "}",
                "name", "{" + good + ",\"" + "u".repeat(json.maxNameLength() + 1) + "\":1}",
                "stats", "{" + good + ",\"stats\":{\"s\":\"" + "x".repeat(MatchmakerProtocol.MAX_STATS_BYTES) + "\"}}");
        bodies.forEach((limit, body) -> {
            put("/api/v1/nodes/n1", body).expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith("application/problem+json")
                    .expectBody().jsonPath("$.status").isEqualTo(400);
            get("/api/v1/nodes/n1").expectStatus().isNotFound();
        });
    }

    @Test
    void anUnknownFieldOfTenMegabytesIsRefusedByTheBodyLimit() {
        String body = "{\"topics\":[\"scheduler\"],\"endpoint\":\"tcp://10.0.0.5:9501\",\"junk\":\""
                + "j".repeat(10 * 1024 * 1024) + "\"}";
        put("/api/v1/nodes/n1", body).expectStatus().isEqualTo(413)
                .expectHeader().contentTypeCompatibleWith("application/problem+json");
        get("/api/v1/nodes/n1").expectStatus().isNotFound();
    }

    @Test
    void anOversizedUrlIsAProblemFromTomcatItself() throws Exception {
        RawHttp.Answer answer = http.exchange("GET", "/api/v1/topics/" + "a".repeat(16 * 1024), Map.of(), null);

        assertThat(answer.status()).isIn(400, 414);
        assertProblem(answer, answer.status());
        assertLookupsAreServed();
    }

    @Test
    void anOversizedHeaderIsAProblemFromTomcatItself() throws Exception {
        RawHttp.Answer answer = http.exchange("GET", "/api/v1/topics", Map.of("X-Big", "b".repeat(16 * 1024)), null);

        assertThat(answer.status()).isIn(400, 431);
        assertProblem(answer, answer.status());
        assertLookupsAreServed();
    }

    @Test
    void aMalformedRequestLineIsAProblemFromTomcatItself() throws Exception {
        assertProblem(http.exchange("GET", "/api/v1/topics/{scheduler}", Map.of(), null), 400);
    }

    /** A registration padded with whitespace (legal JSON) to exactly {@code size} bytes. */
    private static byte[] paddedRegistration(int size) {
        return padded("{\"topics\":[\"scheduler\"],\"endpoint\":\"tcp://10.0.0.5:9501\"", "}", size);
    }

    /** A ring padded with whitespace to exactly {@code size} bytes. */
    private static byte[] paddedRing(int size) {
        return padded("{\"scheduler\":[\"sched1\"]", "}", size);
    }

    private static byte[] padded(String head, String tail, int size) {
        return (head + " ".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private DistributionSummary bodyRead() {
        return meters.get(RefusalMetrics.BODY_READ).summary();
    }

    private void assertLookupsAreServed() {
        get("/api/v1/topics").expectStatus().isOk();
        put("/api/v1/nodes/after", registration(List.of("compute"), "tcp://after:9501", 5)).expectStatus()
                .is2xxSuccessful();
    }

    static void assertProblem(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"status\":" + status).contains("\"detail\":");
    }
}
