package zmq.io.mechanism.curve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * When Salsa20 takes the vector lanes: only with the incubating module and C2. Each case starts a JVM
 * of its own with the flags under test, which prints {@link Salsa20Stream#LANES_AVAILABLE}.
 */
class LanesChoiceTest {

    @Test
    void theLanesAreTakenWithTheModuleAndC2() throws Exception {
        assertEquals("true", lanesAvailable("--add-modules", "jdk.incubator.vector"));
    }

    @Test
    void theScalarCoreStaysWithoutTheModule() throws Exception {
        assertEquals("false", lanesAvailable());
    }

    @Test
    void theScalarCoreStaysUnderC1AloneEvenWithTheModule() throws Exception {
        // C1 runs the Vector API as objects and array loops, much slower than the scalar core
        assertEquals("false", lanesAvailable("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1"));
    }

    /** What {@link Probe} prints in a JVM started with {@code flags}. */
    private static String lanesAvailable(String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(flags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
        return out;
    }

    /** Prints whether the lanes are available in this JVM. */
    static final class Probe {
        public static void main(String[] args) {
            System.out.println(Salsa20Stream.LANES_AVAILABLE);
        }
    }
}
