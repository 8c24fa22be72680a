package io.meshrpc.compute.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.meshrpc.services.compute.InstanceSpec;
import io.meshrpc.services.compute.InstanceStatus;

class HypervisorTest {

    private final Hypervisor hypervisor = new Hypervisor("compute-1",
            new HypervisorProperties(4, 2048, Duration.ZERO, Duration.ofSeconds(1), 5900, BuildFault.NONE));

    private static InstanceSpec spec(String id, int vcpus, int ramMb) {
        return new InstanceSpec(id, "vm-" + id, vcpus, ramMb);
    }

    @Test
    void aBuildThatFitsTakesItsRoomAndIsBuilding() {
        BuildOutcome outcome = hypervisor.claim(spec("i-1", 2, 1024));

        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Accepted.class,
                a -> assertThat(a.instance().status()).isEqualTo(InstanceStatus.BUILDING));
        assertThat(hypervisor.report().freeVcpus()).isEqualTo(2);
        assertThat(hypervisor.report().freeRamMb()).isEqualTo(1024);
        assertThat(hypervisor.report().instanceIds()).containsExactly("i-1");
    }

    @Test
    void aBuildBeyondTheFreeVcpusOrRamIsRefusedWithTheNumbers() {
        hypervisor.claim(spec("i-1", 3, 512));

        assertThat(hypervisor.claim(spec("i-2", 2, 512))).isEqualTo(new BuildOutcome.NoRoom(
                "Host compute-1 has 1 vCPUs / 1536 MiB free; instance i-2 needs 2 vCPUs / 512 MiB"));
        assertThat(hypervisor.claim(spec("i-3", 1, 2048))).isInstanceOf(BuildOutcome.NoRoom.class);
        assertThat(hypervisor.view().usedVcpus()).isEqualTo(3);
    }

    @Test
    void aRedeliveredBuildChangesNothing() {
        hypervisor.claim(spec("i-1", 2, 512));

        assertThat(hypervisor.claim(spec("i-1", 2, 512))).isInstanceOf(BuildOutcome.AlreadyHere.class);
        assertThat(hypervisor.view().usedVcpus()).isEqualTo(2);
    }

    @Test
    void aBuildWithoutIdOrResourcesIsInvalid() {
        assertThat(hypervisor.claim(spec(null, 1, 1))).isInstanceOf(BuildOutcome.Invalid.class);
        assertThat(hypervisor.claim(spec("i-1", 0, 512))).isEqualTo(new BuildOutcome.Invalid(
                "instance i-1 asks for 0 vCPUs / 512 MiB; both must be at least 1"));
    }

    @Test
    void deletingFreesTheRoomAndTheConsolePort() {
        Instance first = ((BuildOutcome.Accepted) hypervisor.claim(spec("i-1", 4, 2048))).instance();
        hypervisor.delete("i-1");
        Instance second = ((BuildOutcome.Accepted) hypervisor.claim(spec("i-2", 4, 2048))).instance();

        assertThat(second.consolePort()).isEqualTo(first.consolePort()).isEqualTo(5900);
        assertThat(hypervisor.delete("i-unknown")).isEmpty();
    }

    @Test
    void activationMovesABuildToActiveButNotADeletedOne() {
        hypervisor.claim(spec("i-1", 1, 512));
        hypervisor.claim(spec("i-2", 1, 512));
        hypervisor.delete("i-2");

        assertThat(hypervisor.activate("i-1")).get().extracting(Instance::status).isEqualTo(InstanceStatus.ACTIVE);
        assertThat(hypervisor.activate("i-2")).isEmpty();
    }
}
