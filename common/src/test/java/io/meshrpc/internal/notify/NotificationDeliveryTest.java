package io.meshrpc.internal.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshrpc.api.Priority;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

class NotificationDeliveryTest {

    @Test
    void debugAndSampleGoOverZeroMqAndTheOtherPrioritiesThroughTheBrokerByDefault() {
        for (Priority p : Priority.values()) {
            DeliveryPolicy expected = p == Priority.DEBUG || p == Priority.SAMPLE ? DeliveryPolicy.ZMQ
                    : DeliveryPolicy.AMQP;
            assertThat(NotificationDelivery.DEFAULT.path(p, true)).as(p.wireName()).isEqualTo(expected);
        }
    }

    @Test
    void aSettingOverridesOnlyThePriorityItNames() {
        NotificationDelivery delivery = new NotificationDelivery(Map.of(Priority.INFO, DeliveryPolicy.ZMQ));

        assertThat(delivery.path(Priority.INFO, true)).isEqualTo(DeliveryPolicy.ZMQ);
        assertThat(delivery.path(Priority.SAMPLE, true)).isEqualTo(DeliveryPolicy.ZMQ);
        assertThat(delivery.path(Priority.AUDIT, true)).isEqualTo(DeliveryPolicy.AMQP);
    }

    @Test
    void withoutABrokerEveryPriorityGoesOverZeroMq() {
        for (Priority p : Priority.values()) {
            assertThat(NotificationDelivery.DEFAULT.path(p, false)).isEqualTo(DeliveryPolicy.ZMQ);
        }
    }

    @Test
    void zmqFirstIsRefusedBecauseABrokerQueueWouldGetWhatZeroMqMembersHadAlready() {
        assertThatThrownBy(() -> NotificationDelivery.DEFAULT.with(Priority.ERROR, DeliveryPolicy.ZMQ_FIRST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("error")
                .hasMessageContaining("not zmq-first");
    }
}
