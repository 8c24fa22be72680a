package io.meshrpc.compute.web;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.meshrpc.compute.hypervisor.Hypervisor;
import io.meshrpc.compute.hypervisor.HypervisorView;

/**
 * Read-only view of this hypervisor: capacity, what is used, the instances. Operators and the
 * end-to-end test use it to check that no host ever holds more than it has.
 */
@RestController
public class HypervisorController {

    private final Hypervisor hypervisor;

    public HypervisorController(Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    @GetMapping("/api/v1/hypervisor")
    public HypervisorView hypervisor() {
        return hypervisor.view();
    }
}
