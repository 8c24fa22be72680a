package io.meshrpc.gateway.servers;

import java.util.ArrayList;
import java.util.List;

import io.meshrpc.gateway.errors.InvalidRequestException;
import io.meshrpc.gateway.errors.Violation;

/**
 * The body of {@code POST /api/v1/servers}. Fields are boxed so that a missing one is reported as
 * missing, by name, rather than read as 0.
 *
 * @param name  1 to 255 characters, not blank
 * @param vcpus 1 to {@value #MAX_VCPUS}
 * @param ramMb {@value #MIN_RAM_MB} to {@value #MAX_RAM_MB} MiB
 */
public record CreateServerRequest(String name, Integer vcpus, Integer ramMb) {

    public static final int MAX_VCPUS = 64;
    public static final int MIN_RAM_MB = 64;
    public static final int MAX_RAM_MB = 262_144;

    /** Checks every field at once, so a client learns all its mistakes in one answer. */
    public void validate() {
        List<Violation> violations = new ArrayList<>();
        if (name == null || name.isBlank()) {
            violations.add(new Violation("name", "name is required"));
        } else if (name.length() > 255) {
            violations.add(new Violation("name", "name must be at most 255 characters, was " + name.length()));
        }
        if (vcpus == null) {
            violations.add(new Violation("vcpus", "vcpus is required"));
        } else if (vcpus < 1 || vcpus > MAX_VCPUS) {
            violations.add(new Violation("vcpus", "vcpus must be 1.." + MAX_VCPUS + ", was " + vcpus));
        }
        if (ramMb == null) {
            violations.add(new Violation("ramMb", "ramMb is required"));
        } else if (ramMb < MIN_RAM_MB || ramMb > MAX_RAM_MB) {
            violations.add(new Violation("ramMb", "ramMb must be " + MIN_RAM_MB + ".." + MAX_RAM_MB + ", was " + ramMb));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
    }
}
