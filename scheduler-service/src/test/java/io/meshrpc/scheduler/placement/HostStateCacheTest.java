package io.meshrpc.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshrpc.scheduler.MutableClock;
import io.meshrpc.scheduler.SchedulerProperties;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.CapacityReport;
import io.meshrpc.services.scheduler.Destination;
import io.meshrpc.services.scheduler.NoValidHostException;

class HostStateCacheTest {

    private final MutableClock clock = new MutableClock();
    private final HostStateCache cache = new HostStateCache(clock, limits(100, 8));

    /** host-ttl 10 s, claim-ttl 30 s, claim-grace 2 s; no suspicion, so each test sees one rule at a time. */
    private static SchedulerProperties limits(int maxHosts, int maxClaimsPerHost) {
        return new SchedulerProperties(Duration.ofSeconds(10), maxHosts, Duration.ofSeconds(30), Duration.ofSeconds(2),
                maxClaimsPerHost, Duration.ZERO);
    }

    private static CapacityReport report(String host, int freeVcpus, int freeRamMb, String... instances) {
        return new CapacityReport(host, 16, 16384, freeVcpus, freeRamMb, List.of(instances));
    }

    @Test
    void aHostThatLetAPlacementLapseIsChosenOnlyWhenNoOtherFitsUntilItsSuspicionEnds() {
        HostStateCache suspicious = new HostStateCache(clock, new SchedulerProperties(Duration.ofMinutes(10), 100,
                Duration.ofMinutes(5), Duration.ofSeconds(2), 8, Duration.ofMinutes(1)));
        suspicious.update(report("sick", 16, 16384));
        suspicious.update(report("healthy", 16, 8192));
        assertThat(suspicious.select(BuildRequest.of("i-1", 1, 512)).host()).as("the roomiest").isEqualTo("sick");

        clock.advance(Duration.ofSeconds(3));
        suspicious.update(report("sick", 16, 16384)); // a report after the grace without i-1: it did not take it

        assertThat(suspicious.hosts().get(1).suspectUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(suspicious.select(BuildRequest.of("i-2", 1, 512)).host()).as("while suspect").isEqualTo("healthy");
        assertThat(suspicious.select(BuildRequest.of("i-3", 1, 8000)).host()).as("the only host that fits")
                .isEqualTo("sick");

        clock.advance(Duration.ofMinutes(1));
        suspicious.update(report("healthy", 16, 8192, "i-2"));
        assertThat(suspicious.select(BuildRequest.of("i-4", 1, 512)).host()).as("after the suspicion")
                .isEqualTo("sick");
    }

    private static CapacityReport numbered(String host, int freeRamMb, long incarnation, long sequence) {
        return new CapacityReport(host, 16, 16384, 16, freeRamMb, List.of(), incarnation, sequence);
    }

    @Test
    void aReportHeldBackByAPartitionNeverReplacesANewerOne() {
        cache.update(numbered("compute-1", 2048, 1_000, 2));

        cache.update(numbered("compute-1", 16384, 1_000, 1)); // made before, delivered after

        assertThat(cache.select(BuildRequest.of("i-1", 1, 512))).isEqualTo(new Destination("compute-1", 15, 1536));
        assertThat(cache.stats().staleReports()).isOne();
    }

    @Test
    void aRestartedAgentsFirstReportIsTakenOverTheLastOneOfItsPreviousProcess() {
        cache.update(numbered("compute-1", 2048, 1_000, 500));

        cache.update(numbered("compute-1", 16384, 2_000, 1));

        assertThat(cache.select(BuildRequest.of("i-1", 1, 512)).freeRamMbAfter()).isEqualTo(16384 - 512);
        assertThat(cache.stats().staleReports()).isZero();
    }

    @Test
    void anUnnumberedReportOfAnAgentOfThePreviousReleaseIsAlwaysTaken() {
        cache.update(numbered("compute-1", 2048, 1_000, 7));

        cache.update(report("compute-1", 16, 16384));

        assertThat(cache.select(BuildRequest.of("i-1", 1, 512)).freeRamMbAfter()).isEqualTo(16384 - 512);
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
    void aClaimExpiresAtTheClaimTtlWhenTheHostKeepsItsOldFigures() {
        HostStateCache longGrace = new HostStateCache(clock, new SchedulerProperties(Duration.ofMinutes(5), 100,
                Duration.ofSeconds(30), Duration.ofMinutes(1), 8, Duration.ZERO));
        longGrace.update(report("compute-1", 16, 4096));
        longGrace.select(BuildRequest.of("i-1", 1, 4096));

        clock.advance(Duration.ofSeconds(29));
        longGrace.update(report("compute-1", 16, 4096));
        assertThat(longGrace.hosts().get(0).claims()).isOne();

        clock.advance(Duration.ofSeconds(2));
        assertThat(longGrace.hosts().get(0).claims()).isZero();
        assertThat(longGrace.stats().releasedClaims()).isOne();
        assertThat(longGrace.select(BuildRequest.of("i-2", 1, 4096)).host()).isEqualTo("compute-1");
    }

    @Test
    void aReportArrivingAfterTheGraceWithoutTheInstanceReleasesItsClaim() {
        cache.update(report("compute-1", 16, 4096));
        cache.select(BuildRequest.of("i-1", 1, 4096));

        clock.advance(Duration.ofSeconds(1));
        cache.update(report("compute-1", 16, 4096)); // may have left the host before the build arrived: kept
        assertThat(cache.hosts().get(0).claims()).isOne();

        clock.advance(Duration.ofSeconds(1));
        cache.update(report("compute-1", 16, 4096)); // 2 s after the placement and still not listed: not taken

        assertThat(cache.hosts().get(0).claims()).isZero();
        assertThat(cache.select(BuildRequest.of("i-2", 1, 4096)).host()).isEqualTo("compute-1");
    }

    @Test
    void sixtyPlacementsThatAreNeverBuiltStarveTheFleetOnlyUntilTheHostsReportAgain() {
        for (int h = 1; h <= 5; h++) {
            cache.update(report("compute-" + h, 16, 16384));
        }
        for (int i = 0; i < 60; i++) {
            try {
                cache.select(BuildRequest.of("junk-" + i, 16, 16384));
            } catch (NoValidHostException expected) {
                // the fleet is fully claimed after five
            }
        }
        assertThatThrownBy(() -> cache.select(BuildRequest.of("real", 1, 512))).isInstanceOf(NoValidHostException.class);

        clock.advance(Duration.ofSeconds(2)); // one report interval: every agent reports, none lists a junk instance
        for (int h = 1; h <= 5; h++) {
            cache.update(report("compute-" + h, 16, 16384));
        }

        assertThat(cache.select(BuildRequest.of("real", 1, 512)).host()).startsWith("compute-");
        assertThat(cache.stats().claims()).isOne();
    }

    @Test
    void claimsPendingOnOneHostAreBoundedTheOldestPushedOut() {
        cache.update(report("compute-1", 64, 65536));
        for (int i = 0; i < 20; i++) {
            cache.select(BuildRequest.of("i-" + i, 1, 1024));
        }

        HostView host = cache.hosts().get(0);
        assertThat(host.claims()).isEqualTo(8);
        assertThat(host.free()).isEqualTo(new Resources(56, 65536 - 8 * 1024));
        assertThat(cache.stats().releasedClaims()).isEqualTo(12);
    }

    @Test
    void aRescheduleOfTheSameInstanceReplacesItsEarlierClaim() {
        cache.update(report("compute-1", 16, 4096));
        cache.update(report("compute-2", 16, 4096));
        assertThat(cache.select(BuildRequest.of("i-1", 1, 1024)).host()).isEqualTo("compute-1");

        assertThat(cache.select(new BuildRequest("i-1", 1, 1024, List.of("compute-1"))).host()).isEqualTo("compute-2");

        assertThat(cache.hosts()).extracting(HostView::claims).containsExactly(0, 1);
    }

    @Test
    void aHostSilentForTheHostTtlIsForgottenNotOnlySkipped() {
        cache.update(report("compute-1", 16, 16384));
        clock.advance(Duration.ofSeconds(8));
        cache.update(report("compute-2", 1, 1024));
        clock.advance(Duration.ofSeconds(3));

        assertThat(cache.select(BuildRequest.of("i-1", 1, 512)).host()).isEqualTo("compute-2");
        assertThat(cache.hosts()).extracting(HostView::host).containsExactly("compute-2");
        assertThat(cache.stats().forgottenHosts()).isOne();

        cache.update(report("compute-1", 16, 16384)); // it comes back: known again from its next report
        assertThat(cache.hosts()).extracting(HostView::host).containsExactly("compute-1", "compute-2");
    }

    @Test
    void beyondMaxHostsReportsOfNewHostsAreRefusedAndCountedWhileKnownHostsKeepReporting() {
        HostStateCache small = new HostStateCache(clock, limits(3, 8));
        for (int h = 1; h <= 5; h++) {
            small.update(report("compute-" + h, 16, 1024 * h));
        }

        assertThat(small.hosts()).extracting(HostView::host).containsExactly("compute-1", "compute-2", "compute-3");
        assertThat(small.stats().refusedReports()).isEqualTo(2);
        assertThat(small.update(report("compute-1", 16, 9999))).isTrue();
        assertThat(small.select(BuildRequest.of("i-1", 1, 512)).host()).isEqualTo("compute-1");

        clock.advance(Duration.ofSeconds(11)); // all silent: forgotten, which makes room for new hosts
        assertThat(small.update(report("compute-9", 16, 1024))).isTrue();
        assertThat(small.hosts()).extracting(HostView::host).containsExactly("compute-9");
    }

    @Test
    void placementFollowsTheWeigherAcrossManyHostsAsClaimsChangeTheirRoom() {
        HostStateCache big = new HostStateCache(clock, limits(10_000, 32));
        for (int h = 0; h < 1000; h++) {
            big.update(new CapacityReport("h" + h, 16, 16384, 16, 8192 + h, List.of()));
        }
        // h999 has the most RAM; 512 MiB claims lower it below the next ones, so they take turns
        assertThat(big.select(BuildRequest.of("a", 1, 512)).host()).isEqualTo("h999");
        assertThat(big.select(BuildRequest.of("b", 1, 512)).host()).isEqualTo("h998");
        assertThat(big.select(BuildRequest.of("c", 1, 8700)).host()).isEqualTo("h997");
        assertThatThrownBy(() -> big.select(BuildRequest.of("d", 1, 9300))).isInstanceOf(NoValidHostException.class)
                .hasMessageContaining("1000 hosts known, 1000 without room (roomiest: h996 with 16 vCPUs / 9188 MiB");
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
        cache.update(report("compute-5", 16, 65536));

        assertThatThrownBy(() -> cache.select(new BuildRequest("i-9", 2, 1024, List.of("compute-5", "compute-1"))))
                .isInstanceOf(NoValidHostException.class)
                .hasMessage("No valid host for instance i-9 (2 vCPUs / 1024 MiB): 3 hosts known, 1 already tried"
                        + " for this instance, 2 without room (roomiest: compute-3 with 1 vCPUs / 2048 MiB free)");
    }

    @Test
    void noValidHostWhenNoHostHasReported() {
        assertThatThrownBy(() -> cache.select(BuildRequest.of("i-1", 1, 512)))
                .isInstanceOf(NoValidHostException.class)
                .hasMessageEndingWith("no compute host has reported its capacity to this scheduler in the last 10 s");
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
