package io.meshrpc.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.meshrpc.autoconfigure.MeshrpcProperties;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/** The documented policy names bind to {@code meshrpc.routing.*} as they are written (docs/configuration.md). */
class RoutingPropertiesBindingTest {

    private static MeshrpcProperties.Routing bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bind("meshrpc.routing", MeshrpcProperties.Routing.class).get();
    }

    @Test
    void theWireNamesBindToThePolicies() {
        MeshrpcProperties.Routing routing = bind(Map.of("meshrpc.routing.default-policy", "zmq-first",
                "meshrpc.routing.topics.compute", "amqp", "meshrpc.routing.topics.scheduler", "zmq"));

        assertThat(routing.defaultPolicy()).isEqualTo(DeliveryPolicy.ZMQ_FIRST);
        assertThat(routing.topics()).containsExactlyInAnyOrderEntriesOf(
                Map.of("compute", DeliveryPolicy.AMQP, "scheduler", DeliveryPolicy.ZMQ));
    }

    @Test
    void theConstantsNamesBindToo() {
        assertThat(bind(Map.of("meshrpc.routing.default-policy", "ZMQ_FIRST")).defaultPolicy())
                .isEqualTo(DeliveryPolicy.ZMQ_FIRST);
    }
}
