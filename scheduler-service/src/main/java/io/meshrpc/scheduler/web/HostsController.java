package io.meshrpc.scheduler.web;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.meshrpc.scheduler.placement.HostStateCache;
import io.meshrpc.scheduler.placement.HostView;

/**
 * Read-only view of what this replica knows about the compute hosts: for operators, the demo's
 * {@code status}, and the end-to-end test (which waits for a killed agent to drop out).
 */
@RestController
public class HostsController {

    private final HostStateCache hosts;

    public HostsController(HostStateCache hosts) {
        this.hosts = hosts;
    }

    @GetMapping("/api/v1/hosts")
    public List<HostView> hosts() {
        return hosts.hosts();
    }
}
