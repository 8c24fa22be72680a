package io.meshrpc.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

import io.meshrpc.node.MeshNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

class PlainJsonTest {

    private final JsonMapper mapper = MeshNode.defaultMapper();

    @Test
    void plainStringsAndNullsAreWrittenExactlyAsTheMapperWritesThem() {
        Random random = new Random(42);
        for (int round = 0; round < 2_000; round++) {
            Object[] args = new Object[random.nextInt(4)];
            for (int i = 0; i < args.length; i++) {
                args[i] = random.nextInt(5) == 0 ? null : plain(random, random.nextInt(300));
            }
            assertThat(new String(PlainJson.args(args))).isEqualTo(new String(mapper.writeValueAsBytes(args)));
            Object value = args.length == 0 ? null : args[0];
            assertThat(new String(PlainJson.value(value))).isEqualTo(new String(mapper.writeValueAsBytes(value)));
        }
    }

    @Test
    void aPlainPayloadIsReadIntoTheTreeTheMapperReads() {
        Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            Object[] args = new Object[random.nextInt(4)];
            for (int i = 0; i < args.length; i++) {
                args[i] = random.nextInt(5) == 0 ? null : plain(random, random.nextInt(300));
            }
            byte[] json = mapper.writeValueAsBytes(args);
            byte[] framed = frame(json);
            assertThat(PlainJson.read(framed, 3, json.length, mapper.getNodeFactory()))
                    .isEqualTo(mapper.readTree(json));
        }
        for (String value : new String[] {"null", "\"a/b\"", "[]", "[null]"}) {
            byte[] json = value.getBytes();
            assertThat(PlainJson.read(json, 0, json.length, mapper.getNodeFactory())).as(value)
                    .isEqualTo(mapper.readTree(json));
        }
    }

    @Test
    void anyOtherPayloadIsLeftToTheMapperByteForByte() {
        Random random = new Random(11);
        String alphabet = "[],\"\\nul ab1{}:\u00e9";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            byte[] json = s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            tools.jackson.databind.JsonNode plain = PlainJson.read(json, 0, json.length, mapper.getNodeFactory());
            if (plain == null) {
                continue; // the mapper reads it, or refuses it
            }
            assertThat(plain).as(s.toString()).isEqualTo(mapper.readerFor(tools.jackson.databind.JsonNode.class)
                    .with(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(json));
        }
        for (String other : new String[] {"[1]", "[\"a\",]", "[\"a\\\"b\"]", "[ \"a\"]", "[\"é\"]", "[[]]", "nul",
                "[\"a\"]x", "{}", ""}) {
            byte[] json = other.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(PlainJson.read(json, 0, json.length, mapper.getNodeFactory())).as(other).isNull();
        }
    }

    @Test
    void theWordAtATimeScanFindsTheFirstSpecialByteAsAByteAtATimeOneDoes() {
        Random random = new Random(3);
        byte[] specials = {0, 0x1f, 0x7f, (byte) 0x80, (byte) 0xff, '"', '\\', '/'};
        for (int round = 0; round < 100_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                int pick = random.nextInt(24);
                b[i] = pick == 0 ? specials[random.nextInt(specials.length)]
                        : pick == 1 ? (byte) random.nextInt(256)
                        : (byte) (0x20 + random.nextInt(0x5f));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            boolean slash = random.nextBoolean();
            assertThat(PlainJson.firstSpecial(b, from, b.length, slash)).isEqualTo(naive(b, from, slash));
        }
    }

    private static int naive(byte[] b, int from, boolean slash) {
        for (int i = from; i < b.length; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || (slash && c == '/')) {
                return i;
            }
        }
        return b.length;
    }

    @Test
    void anythingElseIsLeftToTheMapper() {
        for (String notPlain : new String[] {"a\"b", "a\\b", "a/b", "tab\there", "é", "\u007f", "line\n", "\u2028"}) {
            assertThat(PlainJson.args(new Object[] {"ok", notPlain})).as(notPlain).isNull();
            assertThat(PlainJson.value(notPlain)).as(notPlain).isNull();
        }
        assertThat(PlainJson.args(new Object[] {"ok", 1})).isNull();
        assertThat(PlainJson.value(java.util.List.of("a"))).isNull();
    }

    @Test
    void theDefaultMapperAgreesAndOneWithAModuleIsLeftToItself() {
        assertThat(PlainJson.agreesWith(mapper)).isTrue();
        JsonMapper withModule = JsonMapper.builder().addModule(new SimpleModule("strings")).build();
        assertThat(PlainJson.agreesWith(withModule)).isFalse();
    }

    @Test
    void theCodecWritesTheSameArgumentsWhicheverWriterItUses() {
        EnvelopeCodec codec = new EnvelopeCodec(mapper, EnvelopeCodec.DEFAULT_MAX_MESSAGE_BYTES);
        Envelope header = Envelope.request("a-1", Kind.CAST, "compute", null, false, "build", null,
                java.util.Map.of(), null, 0, "gateway-1");
        for (Object[] args : new Object[][] {{"vm1", null, "x".repeat(200)}, {"a/b", "é"}, {}}) {
            Envelope decoded = codec.decode(codec.encodeRequest(header, args).json());
            assertThat(decoded.args()).isEqualTo(mapper.valueToTree(args));
        }
    }

    /** {@code json} in the middle of a larger frame, as a binary envelope holds its payload. */
    private static byte[] frame(byte[] json) {
        byte[] framed = new byte[json.length + 6];
        framed[0] = 'x';
        framed[1] = '[';
        framed[2] = '"';
        System.arraycopy(json, 0, framed, 3, json.length);
        framed[json.length + 3] = ']';
        return framed;
    }

    private static String plain(Random random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(PlainJson.PLAIN_CHARACTERS.charAt(random.nextInt(PlainJson.PLAIN_CHARACTERS.length())));
        }
        return s.toString();
    }
}
