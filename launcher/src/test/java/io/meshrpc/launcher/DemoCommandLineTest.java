package io.meshrpc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshrpc.launcher.cli.Args;
import io.meshrpc.launcher.cli.UsageException;
import io.meshrpc.launcher.cluster.BrokerChoice;
import io.meshrpc.launcher.cluster.Network;
import io.meshrpc.launcher.cluster.UpOptions;

/** What {@code bin/demo up ...} makes of its command line, without starting anything. */
class DemoCommandLineTest {

    private static UpOptions up(Map<String, String> env, String... argv) {
        Args args = Args.parse(argv);
        UpOptions options = Demo.upOptions(args, env);
        args.rejectUnused();
        return options;
    }

    @Test
    void withoutOptionsItIsFiveAgentsOnTheEmbeddedQpidAndZmqFirst() {
        UpOptions options = up(Map.of(), "up");

        assertThat(options.computeAgents()).isEqualTo(5);
        assertThat(options.broker().type()).isEqualTo(BrokerChoice.QPID);
        assertThat(options.policy()).isEqualTo("zmq-first");
    }

    @Test
    void brokerRabbitmqMeansTheLocalRabbitmqAsGuest() {
        assertThat(up(Map.of(), "up", "--broker", "rabbitmq").broker())
                .isEqualTo(new BrokerChoice(BrokerChoice.RABBITMQ, "127.0.0.1", 5672, "guest", "guest"));
    }

    @Test
    void aSpringRabbitmqSettingOnTheCommandLineOrInTheEnvironmentSelectsRabbitmq() {
        assertThat(up(Map.of(), "up", "--spring.rabbitmq.host=mq.local", "--spring.rabbitmq.port=5679").broker())
                .isEqualTo(new BrokerChoice(BrokerChoice.RABBITMQ, "mq.local", 5679, "guest", "guest"));
        assertThat(up(Map.of("SPRING_RABBITMQ_USERNAME", "nova"), "up").broker().username()).isEqualTo("nova");
    }

    @Test
    void badValuesAndUnknownOptionsAreRefusedByName() {
        assertThatThrownBy(() -> up(Map.of(), "up", "--broker", "kafka"))
                .isInstanceOf(UsageException.class).hasMessage("--broker must be qpid or rabbitmq, was 'kafka'");
        assertThatThrownBy(() -> up(Map.of(), "up", "--compute", "0"))
                .isInstanceOf(UsageException.class).hasMessage("--compute must be 1..50, was 0");
        assertThatThrownBy(() -> up(Map.of(), "up", "--policy", "carrier-pigeon"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("--policy must be");
        assertThatThrownBy(() -> up(Map.of(), "up", "--computes", "3"))
                .isInstanceOf(UsageException.class).hasMessage("unknown option --computes");
        assertThatThrownBy(() -> up(Map.of(), "up", "--broker", "qpid", "--spring.rabbitmq.host=x"))
                .isInstanceOf(UsageException.class);
    }

    @Test
    void withoutBindItListensOnLoopbackAndAdvertisesIt() {
        assertThat(up(Map.of(), "up").network()).isEqualTo(new Network("127.0.0.1", "127.0.0.1"));
    }

    @Test
    void bindAloneIsAlsoTheAdvertisedAddress() {
        assertThat(up(Map.of(), "up", "--bind", "10.200.1.1").network())
                .isEqualTo(new Network("10.200.1.1", "10.200.1.1"));
    }

    @Test
    void bindingEveryInterfaceTakesTheAddressOtherHostsUse() {
        assertThat(up(Map.of(), "up", "--bind", "0.0.0.0", "--advertise", "demo-host.lan").network())
                .isEqualTo(new Network("0.0.0.0", "demo-host.lan"));
        assertThatThrownBy(() -> up(Map.of(), "up", "--bind", "0.0.0.0"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--bind 0.0.0.0 needs --advertise");
        assertThatThrownBy(() -> up(Map.of(), "up", "--advertise", "0.0.0.0"))
                .isInstanceOf(UsageException.class).hasMessageContaining("one other hosts can reach");
    }
}
