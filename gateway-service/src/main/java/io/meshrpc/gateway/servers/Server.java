package io.meshrpc.gateway.servers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.meshrpc.services.compute.InstanceSpec;
import io.meshrpc.services.compute.InstanceStatus;

/**
 * A server as the gateway keeps it.
 *
 * @param id         the id the API answers with
 * @param name       the user's name
 * @param vcpus      vCPUs asked for
 * @param ramMb      RAM asked for, MiB
 * @param status     BUILDING, ACTIVE or ERROR
 * @param host       the compute host it is on (or being built on); {@code null} while unplaced
 * @param fault      why it is in ERROR, else {@code null}
 * @param triedHosts hosts that refused it, never tried again for it
 * @param created    when it was asked for
 * @param updated    when it last changed
 */
public record Server(String id, String name, int vcpus, int ramMb, InstanceStatus status, String host, String fault,
                     List<String> triedHosts, Instant created, Instant updated) {

    public Server {
        triedHosts = List.copyOf(triedHosts);
    }

    InstanceSpec spec() {
        return new InstanceSpec(id, name, vcpus, ramMb);
    }

    Server placedOn(String newHost, Instant at) {
        return new Server(id, name, vcpus, ramMb, InstanceStatus.BUILDING, newHost, null, triedHosts, created, at);
    }

    Server refusedBy(String refusingHost, Instant at) {
        List<String> tried = new ArrayList<>(triedHosts);
        if (refusingHost != null && !tried.contains(refusingHost)) {
            tried.add(refusingHost);
        }
        return new Server(id, name, vcpus, ramMb, InstanceStatus.BUILDING, null, null, tried, created, at);
    }

    Server withStatus(InstanceStatus newStatus, String newFault, Instant at) {
        return new Server(id, name, vcpus, ramMb, newStatus, host, newFault, triedHosts, created, at);
    }
}
