package io.meshrpc.matchmaker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class DeliveryPolicyTest {

    @Test
    void wireNamesAreTheDocumentedOnes() {
        assertThat(DeliveryPolicy.values()).extracting(DeliveryPolicy::wireName)
                .containsExactly("zmq", "amqp", "zmq-first");
        assertThat(DeliveryPolicy.wireNames()).isEqualTo("zmq, amqp, zmq-first");
        assertThat(DeliveryPolicy.ZMQ_FIRST).hasToString("zmq-first");
    }

    @Test
    void theApiTakesExactWireNamesOnly() {
        assertThat(DeliveryPolicy.fromWire("zmq-first")).contains(DeliveryPolicy.ZMQ_FIRST);
        assertThat(DeliveryPolicy.fromWire("amqp")).contains(DeliveryPolicy.AMQP);
        assertThat(DeliveryPolicy.fromWire("ZMQ_FIRST")).isEmpty();
        assertThat(DeliveryPolicy.fromWire(null)).isEmpty();
    }

    @Test
    void operatorsTextIsReadLeniently() {
        assertThat(DeliveryPolicy.of(" ZMQ_FIRST ")).isEqualTo(DeliveryPolicy.ZMQ_FIRST);
        assertThat(DeliveryPolicy.of("Zmq")).isEqualTo(DeliveryPolicy.ZMQ);
        assertThatIllegalArgumentException().isThrownBy(() -> DeliveryPolicy.of("kafka"))
                .withMessage("Unknown delivery policy 'kafka'; expected one of [zmq, amqp, zmq-first]");
        assertThatIllegalArgumentException().isThrownBy(() -> DeliveryPolicy.of(null));
    }

    @Test
    void onlyTheBrokerPolicySkipsZeroMq() {
        assertThat(DeliveryPolicy.ZMQ.usesZmq()).isTrue();
        assertThat(DeliveryPolicy.ZMQ_FIRST.usesZmq()).isTrue();
        assertThat(DeliveryPolicy.AMQP.usesZmq()).isFalse();
    }

    @Test
    void jsonCarriesTheWireName() {
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.writeValueAsString(Map.of("p", DeliveryPolicy.ZMQ_FIRST))).isEqualTo("{\"p\":\"zmq-first\"}");
        assertThat(json.readValue("\"amqp\"", DeliveryPolicy.class)).isEqualTo(DeliveryPolicy.AMQP);
    }
}
