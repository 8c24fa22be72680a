package zmq.io.mechanism.curve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;

import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * The Salsa20 keystream and the Poly1305 written here against BouncyCastle's, for every length up to
 * 300 bytes and for messages cut in pieces, the vector lanes against the scalar core, and Poly1305
 * against RFC 8439's vectors, including those that exercise the final reduction.
 */
class StreamAndMacTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void theSalsa20StreamIsBouncyCastlesForEveryLengthAndPiecesOfIt() {
        Random random = new Random(1);
        for (int length = 0; length <= 300; length++) {
            byte[] key = bytes(random, 32);
            byte[] nonce = bytes(random, 24);
            byte[] in = bytes(random, length);
            Salsa20Engine engine = new Salsa20Engine();
            engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce, 16, 8));
            byte[] expected = new byte[length];
            engine.processBytes(in, 0, length, expected, 0);

            Salsa20Stream stream = new Salsa20Stream();
            stream.init(key, nonce, 16);
            byte[] actual = new byte[length];
            int cut = length == 0 ? 0 : random.nextInt(length + 1);
            stream.xor(in, 0, cut, actual, 0);
            stream.xor(in, cut, length - cut, actual, cut);
            assertArrayEquals(expected, actual, "length " + length + " cut at " + cut);
        }
    }

    @Test
    void theBuildsTestJvmHasTheVectorLanes() {
        // the surefire argLine adds jdk.incubator.vector, as bin/bench and the image do;
        // without it the two tests below would compare the scalar core with itself
        assertTrue(Salsa20Stream.LANES_AVAILABLE, "Salsa20Lanes cannot run in this JVM");
    }

    @Test
    void theVectorLanesGiveTheScalarCoresBytesForEveryLengthAndPiecesOfIt() {
        Random random = new Random(3);
        for (int length = 0; length <= 2 * Salsa20Lanes.BYTES + 130; length++) {
            byte[] key = bytes(random, 32);
            byte[] nonce = bytes(random, 24);
            byte[] in = bytes(random, length + 5);
            Salsa20Stream scalar = new Salsa20Stream(false);
            scalar.init(key, nonce, 16);
            byte[] expected = new byte[length + 3];
            scalar.xor(in, 5, length, expected, 3);

            Salsa20Stream lanes = new Salsa20Stream(true);
            lanes.init(key, nonce, 16);
            byte[] actual = new byte[length + 3];
            int cut = length == 0 ? 0 : random.nextInt(length + 1);
            int cut2 = cut + random.nextInt(length - cut + 1);
            lanes.xor(in, 5, cut, actual, 3);
            lanes.xor(in, 5 + cut, cut2 - cut, actual, 3 + cut);
            lanes.xor(in, 5 + cut2, length - cut2, actual, 3 + cut2);
            assertArrayEquals(expected, actual, "length " + length + " cut at " + cut + " and " + cut2);
        }
    }

    @Test
    void theVectorLanesCarryTheBlockCounterIntoItsHighWord() {
        Random random = new Random(4);
        int[] state = new int[16];
        for (int i = 0; i < 16; i++) {
            state[i] = random.nextInt();
        }
        state[8] = -3; // the low word wraps around after three blocks
        state[9] = 41;
        int blocks = Salsa20Lanes.BYTES / 64;
        byte[] in = bytes(random, Salsa20Lanes.BYTES);

        byte[] expected = new byte[Salsa20Lanes.BYTES];
        int[] block = new int[16];
        for (int b = 0; b < blocks; b++) {
            int[] input = state.clone();
            long counter = 0xffff_fffdL + b + (41L << 32);
            input[8] = (int) counter;
            input[9] = (int) (counter >>> 32);
            Salsa20Stream.rounds(input, block);
            for (int w = 0; w < 16; w++) {
                int at = 64 * b + 4 * w;
                int word = block[w] + input[w];
                for (int k = 0; k < 4; k++) {
                    expected[at + k] = (byte) (in[at + k] ^ (word >>> (8 * k)));
                }
            }
        }
        byte[] actual = new byte[Salsa20Lanes.BYTES];
        Salsa20Lanes.xor(state, in, 0, actual, 0, new int[Salsa20Lanes.WORDS]);

        assertArrayEquals(expected, actual);
        long next = 0xffff_fffdL + blocks + (41L << 32);
        assertEquals((int) next, state[8], "low counter word after the step");
        assertEquals((int) (next >>> 32), state[9], "high counter word after the step");
    }

    @Test
    void poly1305IsBouncyCastlesForEveryLength() {
        Random random = new Random(2);
        for (int round = 0; round < 20; round++) {
            for (int length = 0; length <= 300; length++) {
                byte[] key = bytes(random, 32);
                byte[] m = bytes(random, length + 7);
                Poly1305 reference = new Poly1305();
                reference.init(new KeyParameter(key));
                reference.update(m, 7, length);
                byte[] expected = new byte[16];
                reference.doFinal(expected, 0);

                byte[] actual = new byte[20];
                Poly1305Donna.mac(key, m, 7, length, actual, 4);
                assertArrayEquals(expected, java.util.Arrays.copyOfRange(actual, 4, 20), "length " + length);
            }
        }
    }

    @Test
    void poly1305ReproducesRfc8439sVectors() {
        // 2.5.2: the example
        tag("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b",
                HEX.formatHex("Cryptographic Forum Research Group".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                "a8061dc1305136c6c22b8baf0c0127a9");
        // A.3 #5-#11: the carries and the final subtraction of p
        tag("0200000000000000000000000000000000000000000000000000000000000000",
                "ffffffffffffffffffffffffffffffff", "03000000000000000000000000000000");
        tag("02000000000000000000000000000000ffffffffffffffffffffffffffffffff",
                "02000000000000000000000000000000", "03000000000000000000000000000000");
        tag("0100000000000000000000000000000000000000000000000000000000000000",
                "fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff11000000000000000000000000000000",
                "05000000000000000000000000000000");
        tag("0100000000000000000000000000000000000000000000000000000000000000",
                "fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe01010101010101010101010101010101",
                "00000000000000000000000000000000");
        tag("0200000000000000000000000000000000000000000000000000000000000000",
                "fdffffffffffffffffffffffffffffff", "faffffffffffffffffffffffffffffff");
        tag("0100000000000000040000000000000000000000000000000000000000000000",
                "e33594d7505e43b900000000000000003394d7505e4379cd01000000000000000000000000000000000000000000000001000000000000000000000000000000",
                "14000000000000005500000000000000");
        tag("0100000000000000040000000000000000000000000000000000000000000000",
                "e33594d7505e43b900000000000000003394d7505e4379cd010000000000000000000000000000000000000000000000",
                "13000000000000000000000000000000");
    }

    private static void tag(String key, String message, String expected) {
        byte[] m = HEX.parseHex(message);
        byte[] out = new byte[16];
        Poly1305Donna.mac(HEX.parseHex(key), m, 0, m.length, out, 0);
        assertArrayEquals(HEX.parseHex(expected), out, message);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
