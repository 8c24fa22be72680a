package io.meshrpc.wireformat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.RpcMethod;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.services.compute.InstanceStatus;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.transport.zmq.ZmqSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The value rules and limits {@code docs/wire-format.md} states (sections 2.2 and 2.3), each sent to a
 * live node from a raw DEALER as a peer would send it, and read back from the REPLY: what a parameter
 * of each type accepts, what it is bound to, how results are written, and what the parser refuses.
 *
 * <p>The probe endpoint echoes what it was bound to, so a REPLY shows the Java value the node made
 * of the JSON. The node uses the mapper every meshrpc node uses ({@link MeshNode#defaultMapper()},
 * which the Spring Boot auto-configuration takes too).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireEncodingRulesTest {

    private static final String TOPIC = "probe";
    /** meshrpc.max-message-bytes: the default, which {@link ZmqSettings#loopback} keeps. */
    private static final int MAX_MESSAGE_BYTES = 1 << 20;

    @RpcEndpoint(topic = TOPIC)
    public static class Probe {
        @RpcMethod("int_arg")
        public int intArg(int value) {
            return value;
        }

        @RpcMethod("long_arg")
        public long longArg(long value) {
            return value;
        }

        @RpcMethod("boolean_arg")
        public boolean booleanArg(boolean value) {
            return value;
        }

        @RpcMethod("string_arg")
        public String stringArg(String value) {
            return value;
        }

        @RpcMethod("enum_arg")
        public InstanceStatus enumArg(InstanceStatus value) {
            return value;
        }

        @RpcMethod("instant_arg")
        public Instant instantArg(Instant value) {
            return value;
        }

        @RpcMethod("list_arg")
        public List<String> listArg(List<String> value) {
            return value;
        }

        @RpcMethod("map_arg")
        public Map<String, Integer> mapArg(Map<String, Integer> value) {
            return value;
        }

        @RpcMethod("record_arg")
        public BuildRequest recordArg(BuildRequest value) {
            return value;
        }

        @RpcMethod("optional_arg")
        public Optional<String> optionalArg(Optional<String> value) {
            return value;
        }

        @RpcMethod("two_args")
        public String twoArgs(String a, int b) {
            return a + b;
        }

        @RpcMethod("no_args")
        public void noArgs() {
        }

        @RpcMethod("depth")
        public int depth(JsonNode value) {
            int depth = 0;
            for (JsonNode n = value; n != null && n.isContainer(); n = n.isArray() ? n.get(0) : n.get("a")) {
                depth++;
            }
            return depth;
        }
    }

    private final JsonMapper json = MeshNode.defaultMapper();
    private final ZContext zmq = new ZContext(1);
    private MeshNode node;
    private ZMQ.Socket dealer;
    private int sequence;

    @BeforeAll
    void start() {
        node = MeshNode.builder().nodeId("probe-1").matchmaker(new InMemoryMatchmaker()).endpoints(new Probe())
                .zmq(ZmqSettings.loopback(0))
                .build().start();
        dealer = zmq.createSocket(SocketType.DEALER);
        dealer.setLinger(0);
        dealer.setReceiveTimeOut(10_000);
        dealer.setHandshakeIvl(250);
        dealer.setReconnectIVL(100);
        dealer.connect(node.endpoint());
    }

    @AfterAll
    void stop() {
        zmq.close();
        node.stop();
    }

    // --- argument binding and coercion ------------------------------------------------------------

    @ParameterizedTest(name = "int parameter given {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "2            | 2",
            "-7           | -7",
            "2.0          | 2",
            "1.5          | 1",
            "-1.5         | -1",
            "1e2          | 100",
            "'\"2\"'      | 2",
            "null         | 0",
            "'\"\"'       | 0",
            "true         | meshrpc.BadArguments",
            "'\"1.5\"'    | meshrpc.BadArguments",
            "'\"two\"'    | meshrpc.BadArguments",
            "3000000000   | meshrpc.BadArguments",
            "[2]          | meshrpc.BadArguments",
            "{}           | meshrpc.BadArguments"})
    void anIntParameterTakesTheseJsonValues(String given, String answer) {
        assertThat(call("int_arg", given)).isEqualTo(answer);
    }

    @ParameterizedTest(name = "long parameter given {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "9007199254740993    | 9007199254740993",
            "'\"42\"'            | 42"})
    void aLongParameterTakesAll64Bits(String given, String answer) {
        assertThat(call("long_arg", given)).isEqualTo(answer);
    }

    @ParameterizedTest(name = "boolean parameter given {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "true         | true",
            "false        | false",
            "'\"true\"'   | true",
            "'\"false\"'  | false",
            "1            | true",
            "0            | false",
            "null         | false",
            "'\"yes\"'    | meshrpc.BadArguments",
            "1.5          | meshrpc.BadArguments"})
    void aBooleanParameterTakesTheseJsonValues(String given, String answer) {
        assertThat(call("boolean_arg", given)).isEqualTo(answer);
    }

    @ParameterizedTest(name = "String parameter given {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "'\"vm1\"'    | '\"vm1\"'",
            "12           | '\"12\"'",
            "1.5          | '\"1.5\"'",
            "true         | '\"true\"'",
            "null         | null",
            "{}           | meshrpc.BadArguments",
            "'[\"a\"]'    | meshrpc.BadArguments"})
    void aStringParameterTakesTheseJsonValues(String given, String answer) {
        assertThat(call("string_arg", given)).isEqualTo(answer);
    }

    @ParameterizedTest(name = "enum parameter given {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "'\"ACTIVE\"'   | '\"ACTIVE\"'",
            "1              | '\"ACTIVE\"'",
            "'\"1\"'        | '\"ACTIVE\"'",
            "null           | null",
            "'\"active\"'   | meshrpc.BadArguments",
            "'\"PAUSED\"'   | meshrpc.BadArguments",
            "'\"\"'         | meshrpc.BadArguments",
            "7              | meshrpc.BadArguments"})
    void anEnumParameterTakesItsConstantsNames(String given, String answer) {
        assertThat(call("enum_arg", given)).isEqualTo(answer);
    }

    @ParameterizedTest(name = "Instant parameter given {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "'\"2030-01-01T00:00:00Z\"'              | '\"2030-01-01T00:00:00Z\"'",
            "'\"2030-01-01T00:00:00.123456789Z\"'    | '\"2030-01-01T00:00:00.123456789Z\"'",
            "'\"2030-01-01T00:00:00.120Z\"'          | '\"2030-01-01T00:00:00.120Z\"'",
            "'\"2030-01-01T01:00:00+01:00\"'         | '\"2030-01-01T00:00:00Z\"'",
            "'\"2030-01-01t00:00:00z\"'              | '\"2030-01-01T00:00:00Z\"'",
            "1893456000                              | '\"2030-01-01T00:00:00Z\"'",
            "1893456000.5                            | '\"2030-01-01T00:00:00.500Z\"'",
            "'\"1893456000\"'                        | '\"2030-01-01T00:00:00Z\"'",
            "1893456000000                           | '\"+61971-03-27T00:00:00Z\"'",
            "null                                    | null",
            "'\"2030-01-01T00:00:00\"'               | meshrpc.BadArguments",
            "'\"2030-01-01\"'                        | meshrpc.BadArguments"})
    void anInstantIsAnIso8601StringOrEpochSeconds(String given, String answer) {
        assertThat(call("instant_arg", given)).isEqualTo(answer);
    }

    @ParameterizedTest(name = "List<String> parameter given {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "'[\"a\",\"b\"]'   | '[\"a\",\"b\"]'",
            "[]                | []",
            "'[1,true]'        | '[\"1\",\"true\"]'",
            "null              | null",
            "'\"a\"'           | meshrpc.BadArguments",
            "'{\"0\":\"a\"}'   | meshrpc.BadArguments"})
    void aListIsAJsonArray(String given, String answer) {
        assertThat(call("list_arg", given)).isEqualTo(answer);
    }

    @ParameterizedTest(name = "Map<String,Integer> parameter given {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "'{\"b\":2,\"a\":1}'   | '{\"b\":2,\"a\":1}'",
            "'{\"a\":\"1\"}'       | '{\"a\":1}'",
            "'[[\"a\",1]]'         | meshrpc.BadArguments"})
    void aMapIsAJsonObjectAndKeepsItsOrder(String given, String answer) {
        assertThat(call("map_arg", given)).isEqualTo(answer);
    }

    @ParameterizedTest(name = "record parameter given {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // by component name, in any order; the answer is written in the record's component order
            "'{\"ramMb\":512,\"vcpus\":1,\"instanceId\":\"i-1\",\"excludedHosts\":[\"c2\"]}' | '{\"instanceId\":\"i-1\",\"vcpus\":1,\"ramMb\":512,\"excludedHosts\":[\"c2\"]}'",
            // an unknown field, however nested, is ignored
            "'{\"instanceId\":\"i-1\",\"vcpus\":1,\"ramMb\":512,\"flavor\":{\"x\":[1,{}]}}'    | '{\"instanceId\":\"i-1\",\"vcpus\":1,\"ramMb\":512,\"excludedHosts\":[]}'",
            // an absent or null component: null, 0 or false (this record's constructor makes a null list empty)
            "'{\"instanceId\":\"i-1\"}'                                                       | '{\"instanceId\":\"i-1\",\"vcpus\":0,\"ramMb\":0,\"excludedHosts\":[]}'",
            "'{\"instanceId\":null,\"vcpus\":null,\"ramMb\":1,\"excludedHosts\":null}'         | '{\"instanceId\":null,\"vcpus\":0,\"ramMb\":1,\"excludedHosts\":[]}'",
            // names are case-sensitive: a wrong case is an unknown field
            "'{\"InstanceId\":\"i-1\",\"vcpus\":1,\"ramMb\":1}'                                | '{\"instanceId\":null,\"vcpus\":1,\"ramMb\":1,\"excludedHosts\":[]}'",
            // a repeated name: the last one wins
            "'{\"instanceId\":\"i-1\",\"vcpus\":1,\"vcpus\":3,\"ramMb\":1}'                    | '{\"instanceId\":\"i-1\",\"vcpus\":3,\"ramMb\":1,\"excludedHosts\":[]}'",
            "null                                                                            | null",
            "'[\"i-1\",1,512,[]]'                                                            | meshrpc.BadArguments",
            "'\"i-1\"'                                                                       | meshrpc.BadArguments"})
    void aRecordIsAJsonObjectByComponentName(String given, String answer) {
        assertThat(call("record_arg", given)).isEqualTo(answer);
    }

    @ParameterizedTest(name = "Optional<String> parameter given {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "'\"x\"'   | '\"x\"'",
            "null      | null"})
    void anOptionalIsItsValueOrNull(String given, String answer) {
        assertThat(call("optional_arg", given)).isEqualTo(answer);
    }

    @Test
    void argumentsArePositionalAndTheirNumberMustMatch() {
        assertThat(callWithArgs("two_args", "[\"vm\",1]")).isEqualTo("\"vm1\"");
        assertThat(callWithArgs("two_args", "[1,\"2\"]")).isEqualTo("\"12\"");
        assertThat(callWithArgs("two_args", "[\"vm\"]")).isEqualTo("meshrpc.BadArguments");
        assertThat(callWithArgs("two_args", "[\"vm\",1,2]")).isEqualTo("meshrpc.BadArguments");
        assertThat(callWithArgs("two_args", "{\"a\":\"vm\",\"b\":1}")).startsWith("NACK meshrpc.BadEnvelope");
    }

    @Test
    void aMethodWithoutParametersTakesNoArgsAndAVoidResultIsNull() {
        assertThat(callWithArgs("no_args", "[]")).isEqualTo("null");
        assertThat(callWithArgs("no_args", "null")).isEqualTo("null");
        assertThat(callWithArgs("no_args", null)).isEqualTo("null");
        assertThat(callWithArgs("no_args", "[null]")).isEqualTo("meshrpc.BadArguments");
    }

    // --- parser limits ----------------------------------------------------------------------------

    /** The envelope is depth 1, {@code args} depth 2: an argument may nest 498 levels, not 499. */
    @Test
    void jsonNestsAtMost500LevelsCountingTheEnvelope() {
        assertThat(callWithArgs("depth", "[" + nested(498) + "]")).isEqualTo("498");
        String refused = callWithArgs("depth", "[" + nested(499) + "]");
        assertThat(refused).startsWith("NACK meshrpc.BadEnvelope Malformed envelope: "
                + "Document nesting depth (501) exceeds the maximum allowed (500");
    }

    @Test
    void aNumberHasAtMost1000Digits() {
        assertThat(call("string_arg", "1" + "0".repeat(999))).isEqualTo("\"1" + "0".repeat(999) + "\"");
        assertThat(call("string_arg", "1" + "0".repeat(1000))).startsWith("NACK meshrpc.BadEnvelope Malformed envelope: "
                        + "Number value length (1001) exceeds the maximum allowed (1000");
    }

    @Test
    void aFieldNameHasAtMost50000Characters() {
        String ok = "{\"" + "k".repeat(50_000) + "\":1,\"instanceId\":\"i-1\"}";
        assertThat(call("record_arg", ok)).contains("\"instanceId\":\"i-1\"");
        String tooLong = "{\"" + "k".repeat(50_001) + "\":1}";
        assertThat(call("record_arg", tooLong)).startsWith("NACK meshrpc.BadEnvelope Malformed envelope: "
                + "Name length (50001) exceeds the maximum allowed (50000");
    }

    @Test
    void ctxHoldsAtMost32Entries() {
        assertThat(callWithCtx(32)).isEqualTo("\"x\"");
        assertThat(callWithCtx(33)).isEqualTo("NACK meshrpc.BadEnvelope Invalid envelope: ctx has more than 32 entries");
    }

    /**
     * A frame over meshrpc.max-message-bytes is dropped unread, without an answer; the next frame on
     * the same connection is served. Frames on one connection are read in order, so the second
     * frame's ACK arriving first shows the big one got no answer.
     */
    @Test
    void aFrameOverTheSizeLimitIsDroppedUnansweredAndCounted() {
        double rejectedBefore = rejected();
        String padding = " ".repeat(MAX_MESSAGE_BYTES);
        send("{\"v\":1,\"id\":\"too-big-1\",\"kind\":\"CAST\",\"topic\":\"probe\",\"method\":\"no_args\"}" + padding);
        String small = "{\"v\":1,\"id\":\"after-big-1\",\"kind\":\"CAST\",\"topic\":\"probe\",\"method\":\"no_args\"}";
        send(small);
        List<String> answer = receive();
        assertThat(answer).containsExactly("ACK", "after-big-1");
        assertThat(rejected()).isEqualTo(rejectedBefore + 1);
    }

    @Test
    void aFrameExactlyAtTheSizeLimitIsServed() {
        String head = "{\"v\":1,\"id\":\"at-limit-1\",\"kind\":\"CAST\",\"topic\":\"probe\",\"method\":\"no_args\"}";
        String frame = head.substring(0, head.length() - 1) + "," + "\"pad\":\""
                + "p".repeat(MAX_MESSAGE_BYTES - head.length() - 9) + "\"}";
        assertThat(frame.getBytes(StandardCharsets.UTF_8)).hasSize(MAX_MESSAGE_BYTES);
        send(frame);
        assertThat(receive()).containsExactly("ACK", "at-limit-1");
    }

    // --- helpers ----------------------------------------------------------------------------------

    private double rejected() {
        return node.metrics().count(RpcMetrics.RECEIVED, "transport", "zmq", "outcome", "rejected", "kind", "unknown");
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** Calls {@code method} with one argument; answers the result's JSON, the error type, or "NACK type message". */
    private String call(String method, String arg) {
        return callWithArgs(method, "[" + arg + "]");
    }

    private String callWithArgs(String method, String args) {
        String id = "rule-" + (++sequence);
        send("{\"v\":1,\"id\":\"" + id + "\",\"kind\":\"CALL\",\"topic\":\"" + TOPIC + "\",\"method\":\"" + method
                + "\"" + (args == null ? "" : ",\"args\":" + args) + ",\"replyTo\":\"peer-1\",\"deadline\":"
                + (System.currentTimeMillis() + 60_000) + "}");
        return answer(id);
    }

    private String callWithCtx(int entries) {
        String id = "rule-" + (++sequence);
        StringBuilder ctx = new StringBuilder();
        for (int i = 0; i < entries; i++) {
            ctx.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        send("{\"v\":1,\"id\":\"" + id + "\",\"kind\":\"CALL\",\"topic\":\"" + TOPIC
                + "\",\"method\":\"string_arg\",\"args\":[\"x\"],\"ctx\":{" + ctx + "},\"replyTo\":\"peer-1\"}");
        return answer(id);
    }

    private String answer(String id) {
        List<String> first = receive();
        if (first.get(0).equals("NACK")) {
            assertThat(first.get(1)).isEqualTo(id);
            JsonNode reason = json.readTree(first.get(2));
            return "NACK " + reason.path("type").asString() + " " + reason.path("message").asString();
        }
        assertThat(first).containsExactly("ACK", id);
        List<String> reply = receive();
        assertThat(reply.get(0)).isEqualTo("REPLY");
        JsonNode envelope = json.readTree(reply.get(1));
        assertThat(envelope.path("correlationId").asString()).isEqualTo(id);
        if (envelope.has("error")) {
            return envelope.path("error").path("type").asString();
        }
        return json.writeValueAsString(envelope.get("result"));
    }

    private void send(String frame) {
        assertThat(dealer.send(frame.getBytes(StandardCharsets.UTF_8), 0)).isTrue();
    }

    private List<String> receive() {
        byte[] first = dealer.recv(0);
        assertThat(first).as("an answer within 10 s").isNotNull();
        List<String> frames = new ArrayList<>(List.of(new String(first, StandardCharsets.UTF_8)));
        while (dealer.hasReceiveMore()) {
            frames.add(new String(dealer.recv(0), StandardCharsets.UTF_8));
        }
        return frames;
    }
}
