package zmq.io.mechanism.curve;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import com.neilalexander.jnacl.crypto.curve25519xsalsa20poly1305;

/**
 * Not a test: prints the time that CURVE's box costs per ZeroMQ message, sealed and opened as
 * CurveClientMechanism/CurveServerMechanism do (32 zero bytes, a flags byte, the message; a nonce of
 * "CurveZMQMESSAGEC" and a counter), with jnacl (JeroMQ 0.6.0) and with the replaced Curve. Timing
 * is printed, never asserted. Run it on the test class path:
 *
 * <pre>
 * ./mvnw -o -q -pl jeromq-patched dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp jeromq-patched/target/test-classes:jeromq-patched/target/classes:$(cat /tmp/cp.txt) \
 *     zmq.io.mechanism.curve.CurveSpeed [message bytes, default 200]
 * </pre>
 */
public final class CurveSpeed {

    private static final int ROUNDS = 5;
    private static final int PER_ROUND = 200_000;

    private interface Box {
        int seal(byte[] c, byte[] m, int mlen, byte[] n, byte[] k);

        int open(byte[] m, byte[] c, int clen, byte[] n, byte[] k);
    }

    private CurveSpeed() {
    }

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Curve curve = new Curve();
        Box jnacl = new Box() {
            @Override
            public int seal(byte[] c, byte[] m, int mlen, byte[] n, byte[] k) {
                return curve25519xsalsa20poly1305.crypto_box_afternm(c, m, mlen, n, k);
            }

            @Override
            public int open(byte[] m, byte[] c, int clen, byte[] n, byte[] k) {
                return curve25519xsalsa20poly1305.crypto_box_open_afternm(m, c, clen, n, k);
            }
        };
        Box bouncyCastle = new Box() {
            @Override
            public int seal(byte[] c, byte[] m, int mlen, byte[] n, byte[] k) {
                return curve.afternm(c, m, mlen, n, k);
            }

            @Override
            public int open(byte[] m, byte[] c, int clen, byte[] n, byte[] k) {
                return curve.openAfternm(m, c, clen, n, k);
            }
        };

        System.out.printf("CURVE box of a %d-byte message, seal + open, ns per message (best of %d rounds of %d)%n",
                size, ROUNDS, PER_ROUND);
        // warm both up before timing either; then time them alternately
        run(jnacl, size, PER_ROUND);
        run(bouncyCastle, size, PER_ROUND);
        long[] jnaclNs = new long[ROUNDS];
        long[] bcNs = new long[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            jnaclNs[round] = run(jnacl, size, PER_ROUND);
            bcNs[round] = run(bouncyCastle, size, PER_ROUND);
        }
        Arrays.sort(jnaclNs);
        Arrays.sort(bcNs);
        System.out.printf("  jnacl 1.0.0 (JeroMQ 0.6.0): best %,d  median %,d%n", jnaclNs[0], jnaclNs[ROUNDS / 2]);
        System.out.printf("  BouncyCastle (meshrpc)    : best %,d  median %,d%n", bcNs[0], bcNs[ROUNDS / 2]);
        System.out.printf("  ratio (median)            : %.1fx%n", (double) jnaclNs[ROUNDS / 2] / bcNs[ROUNDS / 2]);
    }

    /** Nanoseconds per message (seal + open) over {@code count} messages. */
    private static long run(Box box, int size, int count) {
        Random random = new Random(1);
        byte[] key = new byte[32];
        random.nextBytes(key);
        int mlen = 32 + 1 + size;
        byte[] nonce = new byte[24];
        System.arraycopy("CurveZMQMESSAGEC".getBytes(StandardCharsets.US_ASCII), 0, nonce, 0, 16);
        byte[] plaintext = new byte[mlen];
        random.nextBytes(plaintext);
        Arrays.fill(plaintext, 0, 32, (byte) 0);
        byte[] sealed = new byte[mlen];
        byte[] opened = new byte[mlen];
        int sink = 0;
        long start = System.nanoTime();
        for (long counter = 0; counter < count; counter++) {
            for (int i = 0; i < 8; i++) {
                nonce[23 - i] = (byte) (counter >>> (8 * i));
            }
            sink += box.seal(sealed, plaintext, mlen, nonce, key);
            sink += box.open(opened, sealed, mlen, nonce, key);
            sink += opened[mlen - 1];
        }
        long elapsed = System.nanoTime() - start;
        if (sink == 42) {
            System.out.print("");
        }
        return elapsed / count;
    }
}
