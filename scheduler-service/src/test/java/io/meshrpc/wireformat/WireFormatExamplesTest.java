package io.meshrpc.wireformat;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.api.RpcInterface;
import io.meshrpc.api.RpcMethod;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.node.MeshNode;
import io.meshrpc.scheduler.SchedulerApplication;
import io.meshrpc.wireformat.WireFormatDoc.Example;
import io.meshrpc.services.compute.ComputeApi;
import io.meshrpc.services.consoleauth.ConsoleauthApi;
import io.meshrpc.services.gateway.GatewayApi;
import io.meshrpc.services.scheduler.SchedulerApi;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every example of {@code docs/wire-format.md} is sent, as the page writes it, to a live node over a
 * raw JeroMQ DEALER (as a peer in another language would), and must be answered with exactly the
 * frames the page shows.
 *
 * <p>The scheduler is the real application ({@code scheduler-1}: its endpoint, its placement, its
 * Spring Boot auto-configured node). The compute agent, consoleauth and the gateway are stand-ins
 * implementing the real services-api contracts ({@link StandIns}), on real nodes sharing the same
 * directory, because this module cannot see those services. The examples run in page order: the
 * scheduler's answers depend on the capacity report sent first, as in a real cluster.
 */
@SpringBootTest(classes = {SchedulerApplication.class, WireFormatExamplesTest.Directory.class},
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"meshrpc.node-id=scheduler-1", "meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1",
                // the examples' host and claim must not age out while the test runs, however slow the machine
                "scheduler.host-ttl=1h", "scheduler.claim-ttl=1h"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireFormatExamplesTest {

    /** The deadline the page's CALL examples carry; replaced by a fresh one when sent. */
    private static final Pattern DEADLINE = Pattern.compile("\"deadline\":(\\d+)");
    private static final Pattern ID = Pattern.compile("^\\{\"v\":1,\"id\":\"([^\"]*)\"");
    /** How long to wait for an answer before the example fails: a bound, not a synchronisation. */
    private static final int ANSWER_TIMEOUT_MS = 10_000;

    @TestConfiguration(proxyBeanMethods = false)
    static class Directory {
        @Bean
        InMemoryMatchmaker matchmaker() {
            return new InMemoryMatchmaker();
        }
    }

    @Autowired
    InMemoryMatchmaker matchmaker;

    private final JsonMapper json = MeshNode.defaultMapper();
    private final List<MeshNode> standIns = new ArrayList<>();
    private final ZContext zmq = new ZContext(1);
    private final Map<String, ZMQ.Socket> dealers = new HashMap<>();

    @BeforeAll
    void startStandIns() {
        standIns.add(node("compute-3", new StandIns.Compute("compute-3")));
        standIns.add(node("consoleauth-1", new StandIns.Consoleauth()));
        standIns.add(node("gateway-1", new StandIns.Gateway()));
    }

    private MeshNode node(String id, Object endpoint) {
        return MeshNode.builder().nodeId(id).matchmaker(matchmaker).endpoints(endpoint)
                .zmq(ZmqSettings.loopback(0)).build().start();
    }

    @AfterAll
    void stop() {
        zmq.close();
        standIns.forEach(MeshNode::stop);
    }

    @TestFactory
    List<DynamicTest> everyWireFormatExampleIsAnsweredAsDocumented() throws Exception {
        List<Example> examples = WireFormatDoc.read().examples();
        return examples.stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> check(e))).toList();
    }

    @Test
    void thePageHasItsExamplesAndEachHasAnAnswer() throws Exception {
        // parse() refuses an example without an answer, and a marker the test cannot read
        assertThat(WireFormatDoc.read().examples()).extracting(Example::name).hasSizeGreaterThanOrEqualTo(10)
                .contains("select-destination", "build-instance", "instance-state-changed", "authorize-console");
    }

    /**
     * Where the page says an example is what a Java node writes, it is byte for byte: decoded, its
     * arguments bound to the contract's parameter types and encoded again as a Java sender does, it
     * gives the same bytes (field order, nulls, number and date forms).
     */
    @Test
    void everyExampleOfAContractMethodIsWhatAJavaSenderWrites() throws Exception {
        EnvelopeCodec codec = new EnvelopeCodec(json, 1 << 20);
        int checked = 0;
        for (Example example : WireFormatDoc.read().examples()) {
            Method method = contractMethod(example);
            if (method == null) {
                continue; // deliberately wrong: an unknown method, a wrong arity, another version
            }
            Envelope envelope = codec.decode(utf8(example.frame()));
            Object[] args = new Object[envelope.args().size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = json.treeToValue(envelope.args().get(i), json.constructType(method.getGenericParameterTypes()[i]));
            }
            assertThat(new String(codec.encode(envelope, args), StandardCharsets.UTF_8))
                    .as("example %s, as a Java sender encodes the same values", example.name())
                    .isEqualTo(example.frame());
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(6);
    }

    private Method contractMethod(Example example) {
        JsonNode frame = json.readTree(example.frame());
        if (frame.path("v").asInt() != 1) {
            return null;
        }
        for (Class<?> api : List.of(SchedulerApi.class, ComputeApi.class, ConsoleauthApi.class, GatewayApi.class)) {
            if (!api.getAnnotation(RpcInterface.class).topic().equals(frame.path("topic").asString())) {
                continue;
            }
            for (Method m : api.getDeclaredMethods()) {
                if (RpcMethod.Names.of(m).equals(frame.path("method").asString())
                        && m.getParameterCount() == frame.path("args").size()) {
                    return m;
                }
            }
        }
        return null;
    }

    private void check(Example example) {
        String frame = example.frame();
        Matcher deadline = DEADLINE.matcher(frame);
        String sentDeadline = null;
        if (deadline.find()) {
            // the page's deadline is fixed and will pass one day; a node drops a CALL whose deadline passed
            sentDeadline = Long.toString(System.currentTimeMillis() + 60_000);
            frame = deadline.replaceFirst("\"deadline\":" + sentDeadline);
        }
        ZMQ.Socket dealer = dealer(example);
        assertThat(dealer.send(utf8(frame), 0)).as("example %s: sent", example.name()).isTrue();
        for (int i = 0; i < example.answer().size(); i++) {
            List<String> expected = example.answer().get(i);
            List<byte[]> actual = receive(dealer);
            assertThat(actual).as("example %s: message %d of the answer (%s) did not arrive within %d ms",
                    example.name(), i + 1, expected.get(0), ANSWER_TIMEOUT_MS).isNotNull();
            List<String> frames = actual.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
            String what = "example " + example.name() + ": message " + (i + 1) + " of the answer";
            assertThat(frames).as(what + ": frame count, got %s", frames).hasSameSizeAs(expected);
            assertThat(frames.get(0)).as(what + ": command frame").isEqualTo(expected.get(0));
            switch (expected.get(0)) {
                case "ACK" -> assertThat(frames).as(what).isEqualTo(expected);
                case "NACK" -> {
                    assertThat(frames.get(1)).as(what + ": id").isEqualTo(expected.get(1));
                    assertThat(json.readTree(frames.get(2))).as(what + ": reason").isEqualTo(json.readTree(expected.get(2)));
                }
                case "REPLY" -> checkReply(what, expected.get(1), frames.get(1), sentDeadline);
                default -> throw new AssertionError(what + ": the page shows an unknown command " + expected.get(0));
            }
        }
    }

    /**
     * A REPLY must equal the page's field by field and byte by byte, but for its own id (fresh for
     * every reply) and the deadline copied from the call (the fresh one the test sent).
     */
    private void checkReply(String what, String documented, String actual, String sentDeadline) {
        ObjectNode got = (ObjectNode) json.readTree(actual);
        String replyId = got.path("id").asString();
        assertThat(replyId).as(what + ": the REPLY's id").isNotBlank().hasSizeLessThanOrEqualTo(128);
        Matcher docId = ID.matcher(documented);
        assertThat(docId.find()).as(what + ": the page's REPLY starts with v and id").isTrue();
        String expected = documented.replace("\"id\":\"" + docId.group(1) + "\"", "\"id\":\"" + replyId + "\"");
        if (sentDeadline != null) {
            expected = DEADLINE.matcher(expected).replaceFirst("\"deadline\":" + sentDeadline);
        }
        assertThat(got).as(what + ": fields").isEqualTo(json.readTree(expected));
        assertThat(actual).as(what + ": bytes").isEqualTo(expected);
    }

    private ZMQ.Socket dealer(Example example) {
        return dealers.computeIfAbsent(example.to(), nodeId -> {
            NodeRef node = matchmaker.node(nodeId).orElseThrow(() -> new AssertionError(
                    "example " + example.name() + " is sent to " + nodeId + ", which is not running"));
            ZMQ.Socket dealer = zmq.createSocket(SocketType.DEALER);
            dealer.setLinger(0);
            dealer.setReceiveTimeOut(ANSWER_TIMEOUT_MS);
            // a connecting JeroMQ socket occasionally stalls its handshake (zeromq/jeromq#1022): retry soon
            dealer.setHandshakeIvl(250);
            dealer.setReconnectIVL(100);
            dealer.connect(node.endpoint());
            return dealer;
        });
    }

    private static List<byte[]> receive(ZMQ.Socket dealer) {
        byte[] first = dealer.recv(0);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(List.of(first));
        while (dealer.hasReceiveMore()) {
            frames.add(dealer.recv(0));
        }
        return frames;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
