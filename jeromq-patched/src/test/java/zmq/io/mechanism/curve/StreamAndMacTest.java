package zmq.io.mechanism.curve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;
import java.util.Random;

import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * The Salsa20 keystream and the Poly1305 written here against BouncyCastle's, for every length up to
 * 300 bytes and for messages cut in pieces, and Poly1305 against RFC 8439's vectors, including those
 * that exercise the final reduction.
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
