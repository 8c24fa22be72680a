package io.meshrpc.services.gateway;

import java.time.Instant;
import java.util.List;

/**
 * The instances a compute agent holds, as it announces them when it starts: an agent that restarted
 * empty lists none, so the gateways learn which instances it lost.
 *
 * @param host        the agent's node id
 * @param instanceIds every instance it holds, in any state
 * @param startedAt   when the agent started
 */
public record HostInventory(String host, List<String> instanceIds, Instant startedAt) {

    public HostInventory {
        instanceIds = instanceIds == null ? List.of() : List.copyOf(instanceIds);
    }
}
