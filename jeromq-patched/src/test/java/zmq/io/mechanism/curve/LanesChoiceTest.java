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
 * of its own with the flags under test, which prints {@link Salsa20Stream#LANES_AVAILABLE}, then seals
 * and opens a box longer than a step of the lanes, so that a JVM without the module shows that the
 * scalar path never touches the vector classes.
 */
class LanesChoiceTest {

    @Test
    void theLanesAreTakenWithTheModuleAndC2() throws Exception {
        assertEquals("true boxed", lanesAvailable("--add-modules", "jdk.incubator.vector"));
    }

    @Test
    void theScalarCoreStaysWithoutTheModule() throws Exception {
        assertEquals("false boxed", lanesAvailable());
    }

    @Test
    void theScalarCoreStaysUnderC1AloneEvenWithTheModule() throws Exception {
        // C1 runs the Vector API as objects and array loops, much slower than the scalar core
        assertEquals("false boxed", lanesAvailable("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1"));
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

    /** Prints whether the lanes are available in this JVM, and "boxed" once a box made the round trip. */
    static final class Probe {
        public static void main(String[] args) {
            byte[] key = new byte[32];
            byte[] nonce = new byte[24];
            byte[] message = new byte[XSalsa20Poly1305.ZEROBYTES + 2048];
            java.util.Arrays.fill(message, XSalsa20Poly1305.ZEROBYTES, message.length, (byte) 'm');
            byte[] box = new byte[message.length];
            byte[] opened = new byte[message.length];
            XSalsa20Poly1305 crypto = new XSalsa20Poly1305();
            boolean roundTrip = crypto.seal(box, message, message.length, nonce, key) == 0
                    && crypto.open(opened, box, box.length, nonce, key) == 0
                    && java.util.Arrays.equals(message, opened);
            System.out.println(Salsa20Stream.LANES_AVAILABLE + (roundTrip ? " boxed" : " box failed"));
        }
    }
}
