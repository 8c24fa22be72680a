package io.meshrpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.meshrpc.api.MessageTooLargeException;
import tools.jackson.databind.json.JsonMapper;

class EnvelopeCodecTest {

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final EnvelopeCodec codec = new EnvelopeCodec(mapper, 4096);

    private Envelope call() {
        return Envelope.request("id-1", Kind.CALL, "scheduler", null, false, "select_destination",
                mapper.readTree("[{\"name\":\"vm1\",\"vcpus\":1}]"), Map.of("requestId", "req-1"), "api-1",
                1_800_000_000_000L, "api-1");
    }

    @Test
    void callRoundTripsEveryField() {
        Envelope decoded = codec.decode(codec.encode(call()));
        assertThat(decoded).isEqualTo(call());
    }

    @Test
    void replyWithResultAndReplyWithErrorRoundTrip() {
        Envelope ok = Envelope.reply("r-1", call(), mapper.readTree("{\"host\":\"compute-3\"}"), null, "sched-1");
        Envelope err = Envelope.reply("r-2", call(), null, new ErrorInfo("meshrpc.UnknownMethod", "no such"), "sched-1");
        assertThat(codec.decode(codec.encode(ok))).isEqualTo(ok);
        assertThat(codec.decode(codec.encode(err))).isEqualTo(err);
    }

    @Test
    void replyWithNullResultIsStillAReply() {
        Envelope ok = Envelope.reply("r-1", call(), null, null, "sched-1");
        String json = new String(codec.encode(ok), StandardCharsets.UTF_8);
        assertThat(json).contains("\"result\":null");
        assertThat(codec.decode(json.getBytes(StandardCharsets.UTF_8)).kind()).isEqualTo(Kind.REPLY);
    }

    @Test
    void aMonitoredVersionedCallAndAHeartbeatRoundTripInJsonAndTheHeartbeatInBinary() {
        Envelope call = call().withInterface("baseapi", "2.1").withMonitor(1000);
        Envelope beat = Envelope.heartbeat("h-1", call, "sched-1");
        assertThat(codec.decode(codec.encode(call))).isEqualTo(call);
        assertThat(codec.decode(codec.encode(beat))).isEqualTo(beat);
        byte[] binary = codec.encodeEnvelope(beat).binary();
        assertThat(codec.decodeBinary(binary, 0, binary.length)).isEqualTo(beat);
        assertThat(codec.encodeEnvelope(call).binary()).as("no binary form: it travels as JSON").isNull();
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = "{\"v\":1,\"id\":\"a\",\"kind\":\"CAST\",\"topic\":\"compute\",\"method\":\"m\","
                + "\"future\":{\"nested\":[1,2,{\"x\":null}]},\"args\":[1]}";
        Envelope e = codec.decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(e.method()).isEqualTo("m");
        assertThat(e.args().get(0).asInt()).isEqualTo(1);
    }

    @Test
    void oversizedEnvelopeIsRefusedAtTheSender() {
        Envelope big = Envelope.request("id", Kind.CAST, "compute", null, false, "m",
                mapper.createArrayNode().add("x".repeat(5000)), Map.of(), null, 0, "a");
        assertThatThrownBy(() -> codec.encode(big)).isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("4096");
    }

    @Test
    void oversizedFrameIsRefusedAtTheReceiver() {
        assertThatThrownBy(() -> codec.decode(new byte[5000])).isInstanceOfSatisfying(WireFormatException.class,
                ex -> assertThat(ex.reason()).isEqualTo(WireFormatException.Reason.TOO_LARGE));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not json|MALFORMED|hello",
        "array|MALFORMED|[1,2]",
        "truncated|MALFORMED|{\"v\":1,\"id\":\"a\"",
        "trailing data|MALFORMED|{\"v\":1} {}",
        "no version|INVALID_FIELD|{\"id\":\"a\",\"kind\":\"CAST\"}",
        "newer version|UNSUPPORTED_VERSION|{\"v\":2,\"id\":\"a\",\"kind\":\"CAST\",\"topic\":\"t\",\"method\":\"m\"}",
        "no id|INVALID_FIELD|{\"v\":1,\"kind\":\"CAST\",\"topic\":\"t\",\"method\":\"m\"}",
        "unknown kind|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"PUBLISH\",\"topic\":\"t\",\"method\":\"m\"}",
        "notify without its pool|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"NOTIFY\",\"topic\":\"t\",\"method\":\"m\"}",
        "bad topic|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"CAST\",\"topic\":\"T T\",\"method\":\"m\"}",
        "no method|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"CAST\",\"topic\":\"t\"}",
        "args not array|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"CAST\",\"topic\":\"t\",\"method\":\"m\",\"args\":{}}",
        "call without replyTo|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"CALL\",\"topic\":\"t\",\"method\":\"m\"}",
        "reply without correlation|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"REPLY\",\"result\":1}",
        "reply without result|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"REPLY\",\"correlationId\":\"c\"}",
        "id not a string|INVALID_FIELD|{\"v\":1,\"id\":7,\"kind\":\"CAST\",\"topic\":\"t\",\"method\":\"m\"}",
        "ctx not strings|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"CAST\",\"topic\":\"t\",\"method\":\"m\",\"ctx\":{\"a\":1}}",
        "bad namespace|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"CAST\",\"topic\":\"t\",\"method\":\"m\",\"namespace\":\"A B\"}",
        "version not major.minor|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"CAST\",\"topic\":\"t\",\"method\":\"m\",\"version\":\"2\"}",
        "version too long|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"CAST\",\"topic\":\"t\",\"method\":\"m\",\"version\":\"12345.1\"}",
        "monitor on a cast|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"CAST\",\"topic\":\"t\",\"method\":\"m\",\"monitor\":1000}",
        "monitor over an hour|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"CALL\",\"topic\":\"t\",\"method\":\"m\",\"replyTo\":\"r\",\"monitor\":3600001}",
        "monitor not a number|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"CALL\",\"topic\":\"t\",\"method\":\"m\",\"replyTo\":\"r\",\"monitor\":\"1s\"}",
        "heartbeat without correlation|INVALID_FIELD|{\"v\":1,\"id\":\"a\",\"kind\":\"HEARTBEAT\"}"
    })
    void badFramesAreRefusedWithAPreciseReason(String name, WireFormatException.Reason reason, String json) {
        assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(WireFormatException.class, ex -> assertThat(ex.reason()).isEqualTo(reason));
    }

    @Test
    void aNotifyNamesItsPoolInNamespaceAndTravelsAsJsonOnly() {
        String json = "{\"v\":1,\"id\":\"n-1\",\"kind\":\"NOTIFY\",\"topic\":\"notifications\","
                + "\"method\":\"compute.instance.exists\",\"namespace\":\"metering\",\"args\":[{}]}";
        Envelope notify = codec.decode(json.getBytes(StandardCharsets.UTF_8));

        assertThat(notify.kind()).isEqualTo(Kind.NOTIFY);
        assertThat(notify.namespace()).isEqualTo("metering");
        assertThat(codec.decode(codec.encodeEnvelope(notify).json())).isEqualTo(notify);
        assertThat(notify.needsJson()).as("no binary layout carries the pool").isTrue();
    }

    @Test
    void refusalCarriesTheEnvelopeIdWhenItWasReadable() {
        String json = "{\"v\":9,\"id\":\"from-the-future\",\"kind\":\"CAST\",\"topic\":\"t\",\"method\":\"m\"}";
        assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(WireFormatException.class, ex -> {
                    assertThat(ex.envelopeId()).isEqualTo("from-the-future");
                    assertThat(ex.getMessage()).contains("v=9");
                });
    }
}
