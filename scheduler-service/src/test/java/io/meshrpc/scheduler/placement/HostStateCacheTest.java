package io.meshrpc.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshrpc.scheduler.MutableClock;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.CapacityReport;
import io.meshrpc.services.scheduler.Destination;
import io.meshrpc.services.scheduler.NoValidHostException;

class HostStateCacheTest {

    private final MutableClock clock = new MutableClock();
    private final HostStateCache cache = new HostStateCache(clock, Duration.ofSeconds(10), Duration.ofSeconds(30));

    private static CapacityReport report(String host, int freeVcpus, int freeRamMb, String... instances) {
        return new CapacityReport(host, 16, 16384, freeVcpus, freeRamMb, List.of(instances));
    }

    @Test
    void choosesTheHostWithTheMostFreeRam() {
        cache.update(report("compute-1", 16, 4096));
        cache.update(report("compute-2", 2, 8192));
        cache.update(report("compute-3", 16, 2048));

        Destination d = cache.select(BuildRequest.of("i-1", 1, 512));

        assertThat(d).isEqualTo(new Destination("compute-2", 1, 7680));
    }

    @Test
    void filtersOutHostsWithoutEnoughVcpusOrRam() {
        cache.update(report("compute-1", 1, 16384));
        cache.update(report("compute-2", 8, 1024));
        cache.update(report("compute-3", 4, 2048));

        assertThat(cache.select(BuildRequest.of("i-1", 2, 2048)).host()).isEqualTo("compute-3");
    }

    @Test
    void claimsSpreadConsecutivePlacementsBeforeTheNextReport() {
        cache.update(report("compute-1", 16, 4096));
        cache.update(report("compute-2", 16, 4096));
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            hosts.add(cache.select(BuildRequest.of("i-" + i, 1, 1024)).host());
        }
        assertThat(hosts).containsExactly("compute-1", "compute-2", "compute-1", "compute-2");
    }

    @Test
    void aReportListingTheInstanceSettlesItsClaimSoItIsNotCountedTwice() {
        cache.update(report("compute-1", 16, 4096));
        cache.select(BuildRequest.of("i-1", 1, 1024));
        cache.update(report("compute-1", 15, 3072, "i-1"));

        assertThat(cache.hosts().get(0).free().ramMb()).isEqualTo(3072);
        assertThat(cache.hosts().get(0).claims()).isZero();
    }

    @Test
    void anUnconfirmedClaimExpiresAfterTheClaimTtl() {
        cache.update(report("compute-1", 16, 4096));
        cache.select(BuildRequest.of("i-1", 1, 4096));
        assertThatThrownBy(() -> cache.select(BuildRequest.of("i-2", 1, 4096)))
                .isInstanceOf(NoValidHostException.class);

        clock.advance(Duration.ofSeconds(31));
        cache.update(report("compute-1", 16, 4096));

        assertThat(cache.select(BuildRequest.of("i-2", 1, 4096)).host()).isEqualTo("compute-1");
    }

    @Test
    void aHostThatStoppedReportingIsNotChosen() {
        cache.update(report("compute-1", 16, 16384));
        clock.advance(Duration.ofSeconds(8));
        cache.update(report("compute-2", 1, 1024));
        clock.advance(Duration.ofSeconds(3));

        assertThat(cache.select(BuildRequest.of("i-1", 1, 512)).host()).isEqualTo("compute-2");
        assertThat(cache.hosts()).extracting(HostView::fresh).containsExactly(false, true);
    }

    @Test
    void hostsTheRequestExcludesAreNotChosen() {
        cache.update(report("compute-1", 16, 16384));
        cache.update(report("compute-2", 16, 1024));

        Destination d = cache.select(new BuildRequest("i-1", 1, 512, List.of("compute-1")));

        assertThat(d.host()).isEqualTo("compute-2");
    }

    @Test
    void noValidHostSaysWhyEveryHostWasLeftOut() {
        cache.update(report("compute-1", 16, 16384));
        cache.update(report("compute-2", 16, 1024));
        clock.advance(Duration.ofSeconds(11));
        cache.update(report("compute-3", 1, 2048));
        cache.update(report("compute-4", 2, 512));

        assertThatThrownBy(() -> cache.select(new BuildRequest("i-9", 2, 1024, List.of("compute-1"))))
                .isInstanceOf(NoValidHostException.class)
                .hasMessage("No valid host for instance i-9 (2 vCPUs / 1024 MiB): 4 hosts known, 1 already tried"
                        + " for this instance, 1 silent for more than 10 s, 2 without room (roomiest: compute-3 with"
                        + " 1 vCPUs / 2048 MiB free)");
    }

    @Test
    void noValidHostWhenNoHostHasReported() {
        assertThatThrownBy(() -> cache.select(BuildRequest.of("i-1", 1, 512)))
                .isInstanceOf(NoValidHostException.class)
                .hasMessageEndingWith("no compute host has reported its capacity to this scheduler");
    }

    @Test
    void rejectsRequestsWithoutResourcesOrId() {
        assertThatThrownBy(() -> cache.select(BuildRequest.of("i-1", 0, 512)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("vcpus must be at least 1, was 0");
        assertThatThrownBy(() -> cache.select(BuildRequest.of("i-1", 1, -5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ramMb must be at least 1, was -5");
        assertThatThrownBy(() -> cache.select(BuildRequest.of(" ", 1, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("instanceId is required");
    }
}
