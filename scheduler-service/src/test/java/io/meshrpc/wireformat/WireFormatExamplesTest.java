package io.meshrpc.wireformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
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
import io.meshrpc.wireformat.WireFormatDoc.Batch;
import io.meshrpc.wireformat.WireFormatDoc.Example;
import io.meshrpc.wireformat.WireFormatDoc.HexDump;
import io.meshrpc.services.compute.ComputeApi;
import io.meshrpc.services.consoleauth.ConsoleauthApi;
import io.meshrpc.services.gateway.GatewayApi;
import io.meshrpc.services.scheduler.SchedulerApi;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.Kind;
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
 *
 * <p>The batch frames of section 4.7 go the same way, from a second DEALER per node whose routing id is
 * {@code mr/2} and 12 random bytes, as the Java sender's: built from the page's notation (whose every
 * length is checked against the bytes it stands for), and their answers read back into that notation
 * and compared byte for byte.
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
    /** The same deadline in a binary envelope ({@code B} item), where it is a varint of as many bytes as now + 60 s. */
    private static final long PAGE_DEADLINE = 1_893_456_000_000L;
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
    /** The codec a node builds with the default limit; reads and writes the binary envelopes of {@code B} items. */
    private final EnvelopeCodec codec = new EnvelopeCodec(json, EnvelopeCodec.DEFAULT_MAX_MESSAGE_BYTES);
    private final List<MeshNode> standIns = new ArrayList<>();
    private final ZContext zmq = new ZContext(1);
    private final Map<String, ZMQ.Socket> dealers = new HashMap<>();
    /** DEALERs whose routing id announces format 2: they are answered in batch frames. */
    private final Map<String, ZMQ.Socket> batchDealers = new HashMap<>();

    @BeforeAll
    void startStandIns() {
        standIns.add(node("compute-3", new StandIns.Compute("compute-3")));
        standIns.add(node("consoleauth-1", new StandIns.Consoleauth()));
        standIns.add(MeshNode.builder().nodeId("gateway-1").matchmaker(matchmaker).endpoints(new StandIns.Gateway())
                .notificationListeners(new StandIns.EventFeed()).zmq(ZmqSettings.loopback(0)).build().start());
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
                .contains("select-destination", "build-instance", "instance-state-changed", "authorize-console",
                        "batch-first-envelope", "batch-two-casts", "batch-cast-and-call", "batch-wrong-node",
                        "batch-binary-cast", "batch-binary-call", "listener-pools", "notify-pool",
                        "notify-other-pool");
        assertThat(WireFormatDoc.read().dumps()).isNotEmpty();
    }

    /**
     * The page writes each batch frame exactly as the notation of its own bytes: built from the page and
     * read back, it gives the same lines (so every length and varint written is the right one).
     */
    @Test
    void everyBatchFrameOfThePageIsWrittenAsItsBytesRead() throws Exception {
        int frames = 0;
        for (Example example : WireFormatDoc.read().examples()) {
            List<List<String>> written = new ArrayList<>();
            if (example.frameIsBatch()) {
                written.add(example.frameLines());
            }
            if (example.batchPeer()) {
                written.addAll(example.answer());
            }
            for (List<String> lines : written) {
                assertThat(Batch.lines(Batch.decode(Batch.encode(Batch.parse(lines)))))
                        .as("example %s", example.name()).isEqualTo(lines);
                frames++;
            }
        }
        assertThat(frames).isGreaterThanOrEqualTo(6);
    }

    /**
     * A hex dump on the page is the frame (or the item of it) it names, built from the page's notation:
     * the annotated bytes and the notation that is sent cannot drift apart. Compared as hex, as the page
     * writes them.
     */
    @Test
    void everyHexDumpIsTheFrameItShows() throws Exception {
        WireFormatDoc doc = WireFormatDoc.read();
        HexFormat hex = HexFormat.ofDelimiter(" ");
        int items = 0;
        for (HexDump dump : doc.dumps()) {
            Example example = doc.examples().stream().filter(e -> e.name().equals(dump.name())).findFirst().orElseThrow();
            byte[] frame = WireFormatDoc.shownBy(example, dump);
            String what = dump.describe();
            if (dump.prefix()) {
                assertThat(dump.bytes()).as(what + ": shows some bytes").isNotEmpty();
                assertThat(hex.formatHex(Arrays.copyOf(frame, Math.min(frame.length, dump.bytes().length))))
                        .as(what + ": the first bytes").isEqualTo(hex.formatHex(dump.bytes()));
            } else {
                assertThat(hex.formatHex(dump.bytes())).as(what).isEqualTo(hex.formatHex(frame));
            }
            if (dump.item() > 0) {
                items++;
            }
        }
        assertThat(items).as("hex dumps of one item (the binary envelopes' layout)").isGreaterThanOrEqualTo(2);
    }

    /** The notation cannot state a length, a varint or an id length that is not the item's. */
    @Test
    void theBatchNotationIsCheckedAgainstTheItemsBytes() {
        assertThat(Batch.encode(Batch.parse(List.of("02", "A 3 (03) b-1"))))
                .isEqualTo(new byte[] {2, 'A', 3, 'b', '-', '1'});
        assertThatThrownBy(() -> Batch.parse(List.of("02", "A 4 (04) b-1")))
                .hasMessageContaining("the item is 3 bytes, the page writes 4");
        assertThatThrownBy(() -> Batch.parse(List.of("02", "A 3 (04) b-1")))
                .hasMessageContaining("the varint of 3 is (03)");
        assertThatThrownBy(() -> Batch.parse(List.of("02", "E 200 (c8) " + "x".repeat(200))))
                .hasMessageContaining("the varint of 200 is (c8 01)");
        assertThatThrownBy(() -> Batch.parse(List.of("02", "N 6 (06) 4 (04) b-1 {}")))
                .hasMessageContaining("the id is 3 bytes, the page writes 4");
        assertThatThrownBy(() -> Batch.parse(List.of("A 3 (03) b-1"))).hasMessageContaining("line 02");
        assertThatThrownBy(() -> Batch.parse(List.of("02", "X 3 (03) b-1"))).hasMessageContaining("not an item");
        // a B item's bytes are hex, and counted as bytes, not as characters
        assertThat(Batch.encode(Batch.parse(List.of("02", "B 3 (03) 01 00 0a"))))
                .isEqualTo(new byte[] {2, 'B', 3, 1, 0, 0x0a});
        assertThat(Batch.lines(Batch.decode(new byte[] {2, 'B', 3, 1, 0, 0x0a})))
                .containsExactly("02", "B 3 (03) 01 00 0a");
        assertThatThrownBy(() -> Batch.parse(List.of("02", "B 4 (04) 01 00 0a")))
                .hasMessageContaining("the item is 3 bytes, the page writes 4");
        assertThatThrownBy(() -> Batch.parse(List.of("02", "B 3 (04) 01 00 0a")))
                .hasMessageContaining("the varint of 3 is (03)");
        assertThatThrownBy(() -> Batch.parse(List.of("02", "B 128 (80) " + "00 ".repeat(127) + "00")))
                .hasMessageContaining("the varint of 128 is (80 01)");
        assertThatThrownBy(() -> Batch.parse(List.of("02", "B 3 (03) 01 00 0A")))
                .hasMessageContaining("in hex, two lowercase digits");
        assertThatThrownBy(() -> Batch.parse(List.of("02", "B 3 (03) 01  00 0a")))
                .hasMessageContaining("in hex, two lowercase digits");
    }

    /**
     * Where the page says an example is what a Java node writes, it is byte for byte: decoded, its
     * arguments bound to the contract's parameter types and encoded again as a Java sender does, it
     * gives the same bytes (field order, nulls, number and date forms).
     */
    @Test
    void everyExampleOfAContractMethodIsWhatAJavaSenderWrites() throws Exception {
        int checked = 0;
        int binary = 0;
        for (Example example : WireFormatDoc.read().examples()) {
            for (String sent : example.envelopes()) {
                JsonNode frame = json.readTree(sent);
                if (frame.path("v").asInt() != 1) {
                    continue; // deliberately another version
                }
                Method method = contractMethod(frame.path("topic").asString(), frame.path("method").asString(),
                        frame.path("args").size());
                if (method == null) {
                    continue; // deliberately wrong: an unknown method, a wrong arity
                }
                Envelope envelope = codec.decode(utf8(sent));
                assertThat(new String(codec.encode(envelope, bind(envelope, method)), StandardCharsets.UTF_8))
                        .as("example %s, as a Java sender encodes the same values", example.name())
                        .isEqualTo(sent);
                checked++;
            }
            for (byte[] sent : example.binaryEnvelopes()) {
                Envelope envelope = codec.decodeBinary(sent, 0, sent.length);
                Method method = contractMethod(envelope.topic(), envelope.method(),
                        envelope.args() == null ? 0 : envelope.args().size());
                if (method == null) {
                    continue;
                }
                String what = "example " + example.name() + ", B item " + envelope.id();
                // the header as decoded, its arguments as the Java values a caller passes: what a Java sender writes
                HexFormat hex = HexFormat.ofDelimiter(" ");
                assertThat(hex.formatHex(codec.encodeRequest(envelope, bind(envelope, method)).binary()))
                        .as(what + ", as a Java sender encodes the same values").isEqualTo(hex.formatHex(sent));
                assertThat(hex.formatHex(codec.encodeEnvelope(envelope).binary()))
                        .as(what + ", encoded again as decoded").isEqualTo(hex.formatHex(sent));
                checked++;
                binary++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(6);
        assertThat(binary).as("B items of the page checked").isGreaterThanOrEqualTo(2);
    }

    /** The envelope's arguments as the Java values of the contract method's parameters. */
    private Object[] bind(Envelope envelope, Method method) {
        Object[] args = new Object[envelope.args() == null ? 0 : envelope.args().size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = json.treeToValue(envelope.args().get(i), json.constructType(method.getGenericParameterTypes()[i]));
        }
        return args;
    }

    private static Method contractMethod(String topic, String method, int arguments) {
        for (Class<?> api : List.of(SchedulerApi.class, ComputeApi.class, ConsoleauthApi.class, GatewayApi.class)) {
            if (!api.getAnnotation(RpcInterface.class).topic().equals(topic)) {
                continue;
            }
            for (Method m : api.getDeclaredMethods()) {
                if (RpcMethod.Names.of(m).equals(method) && m.getParameterCount() == arguments) {
                    return m;
                }
            }
        }
        return null;
    }

    private void check(Example example) {
        if (example.batchPeer()) {
            checkBatch(example);
            return;
        }
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
        String expected = expectedReply(what, documented, actual, sentDeadline);
        assertThat(actual).as(what + ": bytes").isEqualTo(expected);
    }

    /**
     * The page's REPLY as the node must have written it: with the node's own id (fresh for every reply),
     * and the deadline copied from the call (the fresh one the test sent). Checks the fields on the way.
     */
    private String expectedReply(String what, String documented, String actual, String sentDeadline) {
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
        return expected;
    }

    /**
     * An example of section 4.7: sent as the page writes it (a batch frame built from its notation, or one
     * JSON envelope) from a DEALER that announces format 2, and every answer a single batch frame equal,
     * byte for byte, to the page's but for the REPLY's own id and the fresh deadline (in an {@code E} item
     * as in a {@code B} item).
     */
    private void checkBatch(Example example) {
        String fresh = Long.toString(System.currentTimeMillis() + 60_000);
        String sentDeadline = null;
        byte[] sent;
        if (example.frameIsBatch()) {
            List<Batch.Item> items = new ArrayList<>();
            for (Batch.Item item : Batch.parse(example.frameLines())) {
                if (item.type() == Batch.ENVELOPE && DEADLINE.matcher(item.text()).find()) {
                    // as for the JSON examples; as many digits, so the item's length is the page's
                    item = item.withText(DEADLINE.matcher(item.text()).replaceFirst("\"deadline\":" + fresh));
                    sentDeadline = fresh;
                } else if (item.type() == Batch.BINARY) {
                    Envelope envelope = codec.decodeBinary(item.bytes(), 0, item.bytes().length);
                    if (envelope.deadline() > 0) {
                        item = Batch.Item.binary(withDeadline(example.name(), item.bytes(), envelope, Long.parseLong(fresh)));
                        sentDeadline = fresh;
                    }
                }
                items.add(item);
            }
            sent = Batch.encode(items);
        } else {
            String frame = example.frame();
            if (DEADLINE.matcher(frame).find()) {
                frame = DEADLINE.matcher(frame).replaceFirst("\"deadline\":" + fresh);
                sentDeadline = fresh;
            }
            sent = utf8(frame);
        }
        ZMQ.Socket dealer = batchDealer(example);
        assertThat(dealer.send(sent, 0)).as("example %s: sent", example.name()).isTrue();
        // The page shows the usual split into frames; a CALL's ACK waits for its REPLY for a moment
        // only, so a slow machine may send them in two frames: the items and their order must match.
        List<Batch.Item> documented = new ArrayList<>();
        example.answer().forEach(lines -> documented.addAll(Batch.parse(lines)));
        String what = "example " + example.name() + ": the answer";
        List<byte[]> frames = new ArrayList<>();
        List<Batch.Item> got = new ArrayList<>();
        while (got.size() < documented.size()) {
            List<byte[]> actual = receive(dealer);
            assertThat(actual).as(what + ": frame %d did not arrive within %d ms", frames.size() + 1, ANSWER_TIMEOUT_MS)
                    .isNotNull();
            assertThat(actual).as(what + ": one frame per message in format 2").hasSize(1);
            frames.add(actual.get(0));
            got.addAll(Batch.decode(actual.get(0)));
        }
        List<Batch.Item> expected = new ArrayList<>();
        for (int k = 0; k < documented.size(); k++) {
            Batch.Item item = documented.get(k);
            if (item.type() == Batch.ENVELOPE && k < got.size() && got.get(k).type() == Batch.ENVELOPE) {
                item = item.withText(expectedReply(what + ", item " + (k + 1), item.text(), got.get(k).text(),
                        sentDeadline));
            } else if (item.type() == Batch.BINARY && k < got.size() && got.get(k).type() == Batch.BINARY) {
                item = Batch.Item.binary(expectedBinaryReply(what + ", item " + (k + 1), item.bytes(),
                        got.get(k).bytes(), sentDeadline));
            }
            expected.add(item);
        }
        assertThat(Batch.lines(got)).as(what + ", in the page's notation").isEqualTo(Batch.lines(expected));
        int first = 0;
        for (int i = 0; i < frames.size(); i++) {
            int items = Batch.decode(frames.get(i)).size();
            assertThat(frames.get(i)).as(what + ": bytes of frame %d", i + 1)
                    .isEqualTo(Batch.encode(expected.subList(first, first + items)));
            first += items;
        }
    }

    /**
     * A binary envelope of the page with a fresh deadline in place of the page's: encoded again by the
     * codec, which must give the page's bytes back as they stand (so nothing else changes), and as many
     * bytes (the deadline's varint keeps its length).
     */
    private byte[] withDeadline(String example, byte[] documented, Envelope envelope, long deadline) {
        assertThat(envelope.deadline()).as("example %s: a B item's deadline is the page's", example)
                .isEqualTo(PAGE_DEADLINE);
        assertThat(codec.encodeEnvelope(envelope).binary()).as("example %s: the B item as the codec writes it", example)
                .isEqualTo(documented);
        byte[] fresh = codec.encodeEnvelope(withIdAndDeadline(envelope, envelope.id(), deadline)).binary();
        assertThat(fresh).as("example %s: the B item with a fresh deadline", example).hasSameSizeAs(documented);
        return fresh;
    }

    /**
     * The page's REPLY in a {@code B} item as the node must have written it: with the node's own id and
     * the deadline copied from the call (the fresh one the test sent). Checks the fields on the way.
     */
    private byte[] expectedBinaryReply(String what, byte[] documented, byte[] actual, String sentDeadline) {
        Envelope page = codec.decodeBinary(documented, 0, documented.length);
        assertThat(page.kind()).as(what + ": the page's B item in an answer is a REPLY").isEqualTo(Kind.REPLY);
        assertThat(codec.encodeEnvelope(page).binary()).as(what + ": the page's REPLY as the codec writes it")
                .isEqualTo(documented);
        Envelope got = codec.decodeBinary(actual, 0, actual.length);
        assertThat(got.id()).as(what + ": the REPLY's id").isNotBlank().hasSizeLessThanOrEqualTo(128);
        long deadline = sentDeadline != null && page.deadline() == PAGE_DEADLINE ? Long.parseLong(sentDeadline)
                : page.deadline();
        Envelope expected = withIdAndDeadline(page, got.id(), deadline);
        assertThat(got).as(what + ": fields").isEqualTo(expected);
        return codec.encodeEnvelope(expected).binary();
    }

    private static Envelope withIdAndDeadline(Envelope e, String id, long deadline) {
        return new Envelope(e.v(), id, e.kind(), e.topic(), e.server(), e.fanout(), e.method(), e.args(), e.ctx(),
                e.replyTo(), e.correlationId(), deadline, e.from(), e.result(), e.error(), e.namespace(), e.version(), e.monitor());
    }

    private ZMQ.Socket batchDealer(Example example) {
        return batchDealers.computeIfAbsent(example.to(), nodeId -> {
            NodeRef node = matchmaker.node(nodeId).orElseThrow(() -> new AssertionError(
                    "example " + example.name() + " is sent to " + nodeId + ", which is not running"));
            // the routing id a Java sender sets: mr/2, then 12 random bytes
            byte[] routingId = new byte[16];
            System.arraycopy(utf8("mr/2"), 0, routingId, 0, 4);
            byte[] random = new byte[12];
            ThreadLocalRandom.current().nextBytes(random);
            System.arraycopy(random, 0, routingId, 4, 12);
            return connect(node, routingId);
        });
    }

    private ZMQ.Socket dealer(Example example) {
        return dealers.computeIfAbsent(example.to(), nodeId -> {
            NodeRef node = matchmaker.node(nodeId).orElseThrow(() -> new AssertionError(
                    "example " + example.name() + " is sent to " + nodeId + ", which is not running"));
            return connect(node, null);
        });
    }

    /** A DEALER to {@code node}, with {@code routingId} if not null. */
    private ZMQ.Socket connect(NodeRef node, byte[] routingId) {
        ZMQ.Socket dealer = zmq.createSocket(SocketType.DEALER);
        if (routingId != null) {
            dealer.setIdentity(routingId);
        }
        dealer.setLinger(0);
        dealer.setReceiveTimeOut(ANSWER_TIMEOUT_MS);
        // a connecting JeroMQ socket occasionally stalls its handshake (zeromq/jeromq#1022): retry soon
        dealer.setHandshakeIvl(250);
        dealer.setReconnectIVL(100);
        dealer.connect(node.endpoint());
        return dealer;
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
