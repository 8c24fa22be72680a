package io.meshrpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshrpc.api.MessageTooLargeException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The binary encoding that batch frames carry: it holds exactly what the JSON one does, the JSON one
 * made from it is byte for byte what the JSON encoder writes, and a hostile binary envelope is refused
 * with the JSON encoding's reasons, never read past its end.
 */
class BinaryEnvelopeTest {

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final EnvelopeCodec codec = new EnvelopeCodec(mapper, 4096);

    private Envelope call() {
        return Envelope.request("id-1", Kind.CALL, "scheduler", "scheduler-1", false, "select_destination", null,
                Map.of("requestId", "req-1", "traceparent", "00-4bf9-01"), "api-1", 1_893_456_000_000L, "api-1");
    }

    private Object[] args() {
        return new Object[] {Map.of("name", "vm1", "vcpus", 2), List.of("ünïcode", "\"quoted\"")};
    }

    @Test
    void requestDecodesFromBinaryToWhatItDecodesFromJson() {
        EncodedEnvelope encoded = codec.encodeRequest(call(), args());

        Envelope fromBinary = codec.decodeBinary(encoded.binary(), 0, encoded.binary().length);

        assertThat(fromBinary).isEqualTo(codec.decode(encoded.json()));
        assertThat(fromBinary.args().get(1).get(0).asString()).isEqualTo("ünïcode");
        assertThat(fromBinary.deadline()).isEqualTo(1_893_456_000_000L);
        assertThat(fromBinary.ctx()).containsEntry("traceparent", "00-4bf9-01");
    }

    @Test
    void jsonMadeFromTheEncodedEnvelopeIsWhatTheJsonEncoderWrites() {
        EncodedEnvelope encoded = codec.encodeRequest(call(), args());

        assertThat(encoded.json()).isEqualTo(codec.encode(call(), args()));
    }

    @Test
    void plainArgumentsWrittenIntoTheBinaryEnvelopeGiveTheSameJsonAndTheSameRequest() {
        // strings of printable ASCII and nulls skip the mapper and go straight into the binary envelope
        Object[] plain = {"vm1", null, "x".repeat(300), ""};
        EncodedEnvelope encoded = codec.encodeRequest(call(), plain);

        assertThat(encoded.json()).isEqualTo(codec.encode(call(), plain));
        Envelope fromBinary = codec.decodeBinary(encoded.binary(), 0, encoded.binary().length);
        assertThat(fromBinary).isEqualTo(codec.decode(encoded.json()));
        assertThat(fromBinary.args().get(2).asString()).hasSize(300);
        assertThat(fromBinary.args().get(1).isNull()).isTrue();
    }

    @Test
    void fanoutCastWithoutArgumentsOrDeadlineRoundTrips() {
        Envelope cast = Envelope.request("c-1", Kind.CAST, "compute", null, true, "refresh", null, Map.of(), null, 0,
                "api-1");
        EncodedEnvelope encoded = codec.encodeRequest(cast, null);

        Envelope decoded = codec.decodeBinary(encoded.binary(), 0, encoded.binary().length);

        assertThat(decoded.fanout()).isTrue();
        assertThat(decoded.server()).isNull();
        assertThat(decoded.deadline()).isZero();
        assertThat(decoded.args().size()).isZero();
        assertThat(decoded).isEqualTo(codec.decode(encoded.json()));
    }

    @Test
    void repliesWithAResultANullResultAndAnErrorRoundTrip() {
        Envelope call = codec.decode(codec.encode(call(), args()));
        Envelope ok = Envelope.reply("r-1", call, null, null, "scheduler-1");
        Envelope error = Envelope.reply("r-2", call, null, new ErrorInfo("meshrpc.UnknownMethod", "no such"),
                "scheduler-1");

        for (EncodedEnvelope encoded : List.of(codec.encodeReply(ok, Map.of("host", "compute-3")),
                codec.encodeReply(ok, null), codec.encodeReply(error, "ignored"))) {
            Envelope decoded = codec.decodeBinary(encoded.binary(), 0, encoded.binary().length);
            assertThat(decoded).isEqualTo(codec.decode(encoded.json()));
        }
        EncodedEnvelope nullResult = codec.encodeReply(ok, null);
        assertThat(codec.decodeBinary(nullResult.binary(), 0, nullResult.binary().length).result().isNull()).isTrue();
    }

    @Test
    void binaryIsSmallerThanJsonForATypicalCall() {
        EncodedEnvelope encoded = codec.encodeRequest(call(), args());

        assertThat(encoded.binary().length).isLessThan(encoded.json().length);
    }

    @Test
    void anEnvelopeOverTheLimitIsRefusedWhenEncoded() {
        EnvelopeCodec small = new EnvelopeCodec(mapper, 256);

        assertThatThrownBy(() -> small.encodeRequest(call(), new Object[] {"x".repeat(300)}))
                .isInstanceOf(MessageTooLargeException.class);
    }

    @Test
    void anEnvelopeUnderTheLimitInBinaryButOverItInJsonIsRefusedWhenEncoded() {
        EnvelopeCodec small = new EnvelopeCodec(mapper, 600);
        // Control characters take one byte in binary and six in JSON, escaped.
        Envelope header = Envelope.request("id-1", Kind.CAST, "compute", null, false, "m", null,
                Map.of("requestId", "\u0001".repeat(120)), null, 0, "api-1");

        assertThat(new EnvelopeCodec(mapper, 4096).encodeRequest(header, null).binary().length).isLessThan(600);
        assertThatThrownBy(() -> small.encodeRequest(header, null)).isInstanceOf(MessageTooLargeException.class);
    }

    @Test
    void anEnvelopeWhoseJsonFitsAlwaysHasItsJson() {
        EnvelopeCodec small = new EnvelopeCodec(mapper, 600);
        Envelope header = Envelope.request("id-1", Kind.CAST, "compute", null, false, "m", null,
                Map.of("requestId", "a".repeat(300)), null, 0, "api-1");

        assertThat(small.encodeRequest(header, null).json().length).isLessThanOrEqualTo(600);
    }

    @Test
    void decodesFromTheMiddleOfALargerFrame() {
        byte[] binary = codec.encodeRequest(call(), args()).binary();
        byte[] frame = new byte[binary.length + 10];
        System.arraycopy(binary, 0, frame, 5, binary.length);
        java.util.Arrays.fill(frame, 0, 5, (byte) 0xFF);
        java.util.Arrays.fill(frame, 5 + binary.length, frame.length, (byte) 0xFF);

        assertThat(codec.decodeBinary(frame, 5, binary.length).id()).isEqualTo("id-1");
    }

    @Test
    void everyTruncationIsRefusedAndNeverReadsPastTheEnd() {
        byte[] binary = codec.encodeRequest(call(), args()).binary();
        byte[] padded = new byte[binary.length + 64];
        System.arraycopy(binary, 0, padded, 0, binary.length);
        // Whatever follows the cut would be read if a length were trusted: fill it with a valid-looking tail.
        java.util.Arrays.fill(padded, binary.length, padded.length, (byte) 1);
        // A cut right after the header leaves a call without arguments, which is valid: batch frames give
        // every envelope its length, so only a broken writer can cut one, and the handler then refuses it.
        int headerEnd = binary.length - mapper.writeValueAsBytes(args()).length;
        for (int cut = 0; cut < binary.length - 1; cut++) {
            if (cut == headerEnd) {
                continue;
            }
            int length = cut;
            assertThatThrownBy(() -> codec.decodeBinary(padded, 0, length)).as("cut at %d", cut)
                    .isInstanceOf(WireFormatException.class);
        }
    }

    @Test
    void anUnknownKindIsRefused() {
        assertThatThrownBy(() -> decode(new byte[] {9, 0})).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("unknown kind 9");
    }

    @Test
    void aStringLongerThanTheEnvelopeIsRefused() {
        assertThatThrownBy(() -> decode(new byte[] {1, 0, 100, 'a'})).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("overruns");
    }

    @Test
    void aLengthOfMoreThanFourVarintBytesIsRefused() {
        assertThatThrownBy(() -> decode(new byte[] {1, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1}))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("longer than 4 bytes");
    }

    @Test
    void moreThan32ContextEntriesAreRefusedWithTheIdKnown() {
        Map<String, String> ctx = new HashMap<>();
        for (int i = 0; i < 33; i++) {
            ctx.put("k" + i, "v");
        }
        byte[] binary = written(1, 0, "id-9", "compute", null, "m", null, null, null, 0, ctx);

        assertThatThrownBy(() -> decode(binary)).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("more than 32")
                .extracting(e -> ((WireFormatException) e).envelopeId()).isEqualTo("id-9");
    }

    @Test
    void argumentsThatAreNotAJsonArrayAreRefusedAsInJson() {
        byte[] binary = concat(written(1, 0, "id-2", "compute", null, "m", null, null, null, 0, Map.of()),
                utf8("{\"a\":1}"));

        assertThatThrownBy(() -> decode(binary)).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("field 'args' must be a JSON array");
    }

    @Test
    void somethingAfterThePayloadIsRefused() {
        byte[] binary = concat(written(1, 0, "id-3", "compute", null, "m", null, null, null, 0, Map.of()),
                utf8("[1] [2]"));

        assertThatThrownBy(() -> decode(binary)).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("payload");
    }

    @Test
    void aCallWithoutReplyToIsRefusedAsInJson() {
        byte[] binary = concat(written(2, 0, "id-4", "compute", null, "m", null, null, null, 0, Map.of()),
                utf8("[]"));

        assertThatThrownBy(() -> decode(binary)).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("a CALL needs 'replyTo'");
    }

    @Test
    void handWrittenCastMatchesTheDocumentedLayout() {
        byte[] binary = concat(written(1, 0, "c-1", "compute", "compute-3", "build_instance", null, null,
                "gateway-1", 0, Map.of()), utf8("[\"vm1\"]"));

        Envelope decoded = decode(binary);

        assertThat(decoded.kind()).isEqualTo(Kind.CAST);
        assertThat(decoded.server()).isEqualTo("compute-3");
        assertThat(decoded.args().get(0).asString()).isEqualTo("vm1");
        Envelope header = Envelope.request("c-1", Kind.CAST, "compute", "compute-3", false, "build_instance", null,
                Map.of(), null, 0, "gateway-1");
        assertThat(codec.encodeRequest(header, new Object[] {"vm1"}).binary()).isEqualTo(binary);
    }

    @Test
    void handWrittenCallWithLongAndNonAsciiFieldsMatchesTheEncoderByteForByte() {
        // lengths of one, two and three varint bytes, characters of two and three UTF-8 bytes, a
        // deadline of six varint bytes, and context entries: the encoder sizes its array before it writes
        String id = "i".repeat(127);
        String method = "méthode_" + "m".repeat(200);
        String from = "nœud-€".repeat(3_000);
        Map<String, String> ctx = new java.util.LinkedHashMap<>();
        ctx.put("requestId", "r".repeat(128));
        ctx.put("ünïcode", "");
        Envelope header = Envelope.request(id, Kind.CALL, "compute", null, false, method, null, ctx, "api-1",
                1_893_456_000_000L, from);
        byte[] binary = concat(written(2, 0, id, "compute", null, method, "api-1", null, from,
                1_893_456_000_000L, ctx), utf8("[\"vm1\"]"));

        assertThat(new EnvelopeCodec(mapper, 1 << 20).encodeRequest(header, new Object[] {"vm1"}).binary())
                .isEqualTo(binary);
    }

    private Envelope decode(byte[] binary) {
        return codec.decodeBinary(binary, 0, binary.length);
    }

    /** The header as the wire format page lays it out, written by hand. */
    private static byte[] written(int kind, int flags, String id, String topic, String server, String method,
                                  String replyTo, String correlationId, String from, long deadline,
                                  Map<String, String> ctx) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(kind);
        out.write(flags);
        for (String s : new String[] {id, topic, server, method, replyTo, correlationId, from}) {
            string(out, s);
        }
        varint(out, deadline);
        varint(out, ctx.size());
        ctx.forEach((k, v) -> {
            string(out, k);
            string(out, v);
        });
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s == null ? new byte[0] : utf8(s);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        long v = value;
        while (v >= 0x80) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
