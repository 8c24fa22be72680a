package io.meshrpc.gateway.servers;

import java.time.Instant;
import java.util.List;

import io.meshrpc.services.compute.InstanceStatus;

/**
 * A server as the API shows it.
 *
 * @param id         the server id
 * @param name       its name
 * @param status     BUILDING, ACTIVE or ERROR
 * @param host       its compute host, once placed
 * @param vcpus      vCPUs
 * @param ramMb      RAM, MiB
 * @param fault      why it is in ERROR
 * @param faultCode  the kind of failure, when in ERROR ({@link BuildFailure})
 * @param attempts   hosts it was sent to so far (more than 1: it was rescheduled)
 * @param triedHosts hosts that failed it
 * @param created    when it was asked for
 * @param updated    when it last changed
 * @param hostState  for an ACTIVE server, whether its host is in the fleet now ({@link HostState}); null otherwise
 */
public record ServerView(String id, String name, InstanceStatus status, String host, int vcpus, int ramMb,
                         String fault, BuildFailure faultCode, int attempts, List<String> triedHosts, Instant created,
                         Instant updated, HostState hostState) {

    static ServerView of(Server s, LostHosts hosts) {
        HostState hostState = s.status() == InstanceStatus.ACTIVE && s.host() != null ? hosts.state(s.host()) : null;
        return new ServerView(s.id(), s.name(), s.status(), s.host(), s.vcpus(), s.ramMb(), s.fault(), s.faultCode(),
                s.attempts(), s.triedHosts(), s.created(), s.updated(), hostState);
    }
}
