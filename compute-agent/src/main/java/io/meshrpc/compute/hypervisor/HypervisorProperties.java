package io.meshrpc.compute.hypervisor;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The simulated hypervisor of this agent.
 *
 * @param vcpus           virtual CPUs instances can take in total
 * @param ramMb           memory instances can take in total, MiB
 * @param buildTime       how long a build takes before the instance is ACTIVE
 * @param reportInterval  how often the free capacity is sent to the schedulers (also sent at once
 *                        after every change); keep it well under the schedulers' host TTL
 * @param consoleBasePort first port of the instances' (simulated) VNC consoles
 * @param buildFault      {@code NONE}, or a sickness to inject for tests and demos ({@link BuildFault})
 */
@ConfigurationProperties("compute")
public record HypervisorProperties(@DefaultValue("16") int vcpus, @DefaultValue("32768") int ramMb,
                                   @DefaultValue("300ms") Duration buildTime,
                                   @DefaultValue("2s") Duration reportInterval,
                                   @DefaultValue("5900") int consoleBasePort,
                                   @DefaultValue("NONE") BuildFault buildFault) {

    public HypervisorProperties {
        if (vcpus < 1) {
            throw new IllegalArgumentException("compute.vcpus must be at least 1, was " + vcpus);
        }
        if (ramMb < 1) {
            throw new IllegalArgumentException("compute.ram-mb must be at least 1, was " + ramMb);
        }
        if (buildTime.isNegative()) {
            throw new IllegalArgumentException("compute.build-time must not be negative, was " + buildTime);
        }
        if (reportInterval.isNegative() || reportInterval.isZero()) {
            throw new IllegalArgumentException("compute.report-interval must be positive, was " + reportInterval);
        }
        if (consoleBasePort < 1 || consoleBasePort > 65535) {
            throw new IllegalArgumentException("compute.console-base-port must be 1..65535, was " + consoleBasePort);
        }
    }
}
