package io.meshrpc.gateway.servers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.meshrpc.services.compute.InstanceSpec;
import io.meshrpc.services.compute.InstanceStatus;

/**
 * A server as the gateway keeps it. Changes are new values, applied atomically by the
 * {@link ServerRegistry}.
 *
 * @param id            the id the API answers with
 * @param name          the user's name
 * @param vcpus         vCPUs asked for
 * @param ramMb         RAM asked for, MiB
 * @param status        BUILDING, ACTIVE or ERROR
 * @param host          the compute host it is on (or being built on); {@code null} while unplaced
 * @param fault         why it is in ERROR, else {@code null}
 * @param faultCode     the kind of failure that put it in ERROR, else {@code null}
 * @param triedHosts    hosts that failed it, never tried again for it
 * @param attempts      hosts it has been sent to, the current one included
 * @param buildDeadline when the current host must have answered (set once the host took the build
 *                      cast; {@code null} before, and once the server is settled)
 * @param created       when it was asked for
 * @param updated       when it last changed
 */
public record Server(String id, String name, int vcpus, int ramMb, InstanceStatus status, String host, String fault,
                     BuildFailure faultCode, List<String> triedHosts, int attempts, Instant buildDeadline,
                     Instant created, Instant updated) {

    public Server {
        triedHosts = List.copyOf(triedHosts);
    }

    /** A server just asked for: BUILDING, not placed yet. */
    static Server requested(String id, String name, int vcpus, int ramMb, Instant at) {
        return new Server(id, name, vcpus, ramMb, InstanceStatus.BUILDING, null, null, null, List.of(), 0, null, at, at);
    }

    InstanceSpec spec() {
        return new InstanceSpec(id, name, vcpus, ramMb);
    }

    /** Whether it is still waiting for attempt {@code attempt}, on {@code onHost}. */
    boolean buildingOn(String onHost, int attempt) {
        return status == InstanceStatus.BUILDING && onHost.equals(host) && attempts == attempt;
    }

    Server placedOn(String newHost, Instant at) {
        return new Server(id, name, vcpus, ramMb, InstanceStatus.BUILDING, newHost, null, null, triedHosts,
                attempts + 1, null, created, at);
    }

    /** The host took the build cast: from now on it has until {@code deadline} to answer. */
    Server buildTaken(Instant deadline, Instant at) {
        return new Server(id, name, vcpus, ramMb, status, host, fault, faultCode, triedHosts, attempts, deadline,
                created, at);
    }

    /** The current host failed it: it joins the hosts never tried again, and the server is unplaced. */
    Server failedByHost(Instant at) {
        List<String> tried = new ArrayList<>(triedHosts);
        if (host != null && !tried.contains(host)) {
            tried.add(host);
        }
        return new Server(id, name, vcpus, ramMb, InstanceStatus.BUILDING, null, null, null, tried, attempts, null,
                created, at);
    }

    Server active(Instant at) {
        return new Server(id, name, vcpus, ramMb, InstanceStatus.ACTIVE, host, null, null, triedHosts, attempts, null,
                created, at);
    }

    Server error(BuildFailure code, String reason, Instant at) {
        return new Server(id, name, vcpus, ramMb, InstanceStatus.ERROR, host, reason, code, triedHosts, attempts, null,
                created, at);
    }
}
