package zmq.io.mechanism.curve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.neilalexander.jnacl.crypto.curve25519;
import com.neilalexander.jnacl.crypto.curve25519xsalsa20poly1305;
import com.neilalexander.jnacl.crypto.xsalsa20poly1305;

/**
 * meshrpc's Curve computes CURVE's NaCl boxes with BouncyCastle instead of jnacl: every byte must
 * stay what jnacl (JeroMQ 0.6.0's own crypto) and NaCl compute, or CURVE peers, libzmq's among
 * them, stop understanding each other. Lengths are those of the NaCl box: 32 bytes of zero padding
 * (ZEROBYTES) before the message, 16 (BOXZEROBYTES) before the tag in the box.
 */
class CurveTest {

    private static final int[] MESSAGE_LENGTHS = {0, 1, 31, 32, 33, 1000, 65536};
    private static final HexFormat HEX = HexFormat.of();

    // NaCl's tests/box.c (and box2.c), the same bytes as RFC 7748 section 6.1 for the keys
    private static final byte[] ALICE_SECRET = HEX.parseHex(
            "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private static final byte[] ALICE_PUBLIC = HEX.parseHex(
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    private static final byte[] BOB_SECRET = HEX.parseHex(
            "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    private static final byte[] BOB_PUBLIC = HEX.parseHex(
            "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    private static final byte[] NONCE = HEX.parseHex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
    private static final byte[] MESSAGE = HEX.parseHex(
            "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffc"
            + "e5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb31"
            + "0e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde"
            + "048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f93776384864"
            + "5e0705");
    // the box after its 16 zero bytes: tag, then ciphertext
    private static final byte[] BOX = HEX.parseHex(
            "f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce"
            + "48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c972"
            + "71d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae"
            + "90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b3"
            + "7973f622a43d14a6599b1f654cb45a74e355a5");
    // NaCl's tests/core1.c: crypto_box_beforenm of alice and bob ("firstkey")
    private static final byte[] ALICE_BOB_KEY = HEX.parseHex(
            "1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");

    private final Random random = new Random(20240601);
    private final Curve curve = new Curve();

    @Test
    void aKeyPairsPublicKeyIsJnaclsPublicKeyOfItsSecretKey() {
        for (int i = 0; i < 20; i++) {
            byte[][] pair = curve.keypair();
            byte[] expected = new byte[32];
            curve25519.crypto_scalarmult_base(expected, pair[1]);

            assertThat(pair[0]).isEqualTo(expected);
        }
    }

    @Test
    void keyPairsAreFresh() {
        assertThat(curve.keypair()[1]).isNotEqualTo(curve.keypair()[1]);
        assertThat(curve.keypairZ85()[0]).hasSize(40).isNotEqualTo(curve.keypairZ85()[0]);
    }

    @Test
    void beforenmMatchesJnaclForRandomKeys() {
        for (int i = 0; i < 50; i++) {
            byte[] secretKey = bytes(32);
            // any 255-bit value, not only the public keys of key pairs (bit 255: see the next test)
            byte[] publicKey = bytes(32);
            publicKey[31] &= 0x7f;
            byte[] expected = new byte[32];
            curve25519xsalsa20poly1305.crypto_box_beforenm(expected, publicKey, secretKey);
            byte[] actual = new byte[32];

            assertThat(curve.beforenm(actual, publicKey, secretKey)).isZero();
            assertThat(actual).isEqualTo(expected);
        }
    }

    @Test
    void bit255OfAPublicKeyIsIgnoredAsLibsodiumDoes() {
        // RFC 7748 (and libsodium, libzmq's crypto) mask the top bit of a public key; jnacl, like
        // NaCl's reference code, computes with it, so for such a key (which no key pair makes; an
        // honest peer never sends one) the box key is libzmq's now, no longer jnacl's
        for (int i = 0; i < 20; i++) {
            byte[] secretKey = bytes(32);
            byte[] publicKey = bytes(32);
            publicKey[31] &= 0x7f;
            byte[] withBit255 = publicKey.clone();
            withBit255[31] |= (byte) 0x80;
            byte[] expected = new byte[32];
            byte[] actual = new byte[32];

            curve.beforenm(expected, publicKey, secretKey);
            curve.beforenm(actual, withBit255, secretKey);

            assertThat(actual).isEqualTo(expected);
        }
    }

    @Test
    void secretboxMatchesJnaclForEveryLength() {
        for (int length : MESSAGE_LENGTHS) {
            byte[] key = bytes(32);
            byte[] nonce = bytes(24);
            byte[] plaintext = padded(bytes(length));
            byte[] expected = new byte[plaintext.length];
            assertThat(xsalsa20poly1305.crypto_secretbox(expected, plaintext, plaintext.length, nonce, key)).isZero();
            byte[] box = new byte[plaintext.length];

            assertThat(curve.secretbox(box, plaintext, plaintext.length, nonce, key)).isZero();
            assertThat(box).as("box of %d bytes", length).isEqualTo(expected);

            byte[] opened = new byte[box.length];
            assertThat(curve.secretboxOpen(opened, box, box.length, nonce, key)).isZero();
            assertThat(opened).isEqualTo(plaintext);
            byte[] openedByJnacl = new byte[box.length];
            assertThat(xsalsa20poly1305.crypto_secretbox_open(openedByJnacl, box, box.length, nonce, key)).isZero();
            assertThat(openedByJnacl).isEqualTo(plaintext);
        }
    }

    @Test
    void afternmMatchesJnaclForEveryLength() {
        for (int length : MESSAGE_LENGTHS) {
            byte[] key = new byte[32];
            curve.beforenm(key, bytes(32), bytes(32));
            byte[] nonce = bytes(24);
            byte[] plaintext = padded(bytes(length));
            byte[] expected = new byte[plaintext.length];
            curve25519xsalsa20poly1305.crypto_box_afternm(expected, plaintext, plaintext.length, nonce, key);
            byte[] box = new byte[plaintext.length];

            assertThat(curve.afternm(box, plaintext, plaintext.length, nonce, key)).isZero();
            assertThat(box).as("box of %d bytes", length).isEqualTo(expected);

            byte[] opened = new byte[box.length];
            assertThat(curve.openAfternm(opened, box, box.length, nonce, key)).isZero();
            assertThat(opened).isEqualTo(plaintext);
        }
    }

    @Test
    void boxAndOpenMatchJnaclForEveryLength() {
        for (int length : MESSAGE_LENGTHS) {
            byte[][] sender = curve.keypair();
            byte[][] receiver = curve.keypair();
            byte[] nonce = bytes(24);
            byte[] plaintext = padded(bytes(length));
            byte[] expected = new byte[plaintext.length];
            curve25519xsalsa20poly1305.crypto_box(expected, plaintext, plaintext.length, nonce, receiver[0], sender[1]);
            byte[] box = new byte[plaintext.length];

            assertThat(curve.box(box, plaintext, plaintext.length, nonce, receiver[0], sender[1])).isZero();
            assertThat(box).as("box of %d bytes", length).isEqualTo(expected);

            byte[] opened = new byte[box.length];
            assertThat(curve.open(opened, box, box.length, nonce, sender[0], receiver[1])).isZero();
            assertThat(opened).isEqualTo(plaintext);
        }
    }

    @Test
    void nonZeroPaddingGivesJnaclsBoxToo() {
        // NaCl wants the 32 bytes before the message zero; jnacl (like NaCl) then takes the MAC key
        // from keystream XOR those bytes, and so does the replacement
        byte[] key = bytes(32);
        byte[] nonce = bytes(24);
        byte[] plaintext = bytes(200);
        byte[] expected = new byte[plaintext.length];
        xsalsa20poly1305.crypto_secretbox(expected, plaintext, plaintext.length, nonce, key);
        byte[] box = new byte[plaintext.length];

        curve.secretbox(box, plaintext, plaintext.length, nonce, key);

        assertThat(box).isEqualTo(expected);
    }

    @Test
    void aSessionsMessagesMatchJnaclInBothDirectionsAndAfterANewKey() {
        // What a mechanism does: one Curve, one key array (cnPrecom) that beforenm refills, nonces
        // with a fixed prefix per direction and a counter; the replacement keeps derived keys
        // across calls, which must follow both the nonce prefix and the key's bytes
        byte[] key = new byte[32];
        curve.beforenm(key, bytes(32), bytes(32));
        for (int i = 0; i < 40; i++) {
            if (i == 20) {
                curve.beforenm(key, bytes(32), bytes(32));
            }
            byte[] nonce = new byte[24];
            System.arraycopy((i % 2 == 0 ? "CurveZMQMESSAGEC" : "CurveZMQMESSAGES").getBytes(StandardCharsets.US_ASCII), 0, nonce, 0, 16);
            nonce[23] = (byte) i;
            byte[] plaintext = padded(bytes(1 + random.nextInt(300)));
            byte[] expected = new byte[plaintext.length];
            curve25519xsalsa20poly1305.crypto_box_afternm(expected, plaintext, plaintext.length, nonce, key);
            byte[] box = new byte[plaintext.length];

            curve.afternm(box, plaintext, plaintext.length, nonce, key);

            assertThat(box).as("message %d", i).isEqualTo(expected);
            byte[] opened = new byte[box.length];
            assertThat(curve.openAfternm(opened, box, box.length, nonce, key)).isZero();
            assertThat(opened).isEqualTo(plaintext);
        }
    }

    @Test
    void boxesShorterThanTheirPaddingAreRefusedLikeJnacl() {
        byte[] key = bytes(32);
        byte[] nonce = bytes(24);
        for (int length = 0; length < 32; length++) {
            byte[] in = new byte[length];
            byte[] out = new byte[length];

            assertThat(xsalsa20poly1305.crypto_secretbox(out, in, length, nonce, key)).isEqualTo(-1);
            assertThat(curve.secretbox(out, in, length, nonce, key)).isEqualTo(-1);
            assertThat(curve.afternm(out, in, length, nonce, key)).isEqualTo(-1);
            assertThat(curve.secretboxOpen(out, in, length, nonce, key)).isEqualTo(-1);
            assertThat(curve.openAfternm(out, in, length, nonce, key)).isEqualTo(-1);
        }
    }

    @Test
    void naclsBoxTestVectorIsReproduced() {
        byte[] plaintext = padded(MESSAGE);
        byte[] expected = new byte[plaintext.length];
        System.arraycopy(BOX, 0, expected, 16, BOX.length);
        byte[] box = new byte[plaintext.length];

        assertThat(curve.box(box, plaintext, plaintext.length, NONCE, BOB_PUBLIC, ALICE_SECRET)).isZero();
        assertThat(box).isEqualTo(expected);

        byte[] opened = new byte[box.length];
        assertThat(curve.open(opened, box, box.length, NONCE, ALICE_PUBLIC, BOB_SECRET)).isZero();
        assertThat(opened).isEqualTo(plaintext);
    }

    @Test
    void naclsKeyTestVectorsAreReproduced() {
        byte[] aliceBob = new byte[32];
        byte[] bobAlice = new byte[32];
        curve.beforenm(aliceBob, BOB_PUBLIC, ALICE_SECRET);
        curve.beforenm(bobAlice, ALICE_PUBLIC, BOB_SECRET);

        assertThat(aliceBob).isEqualTo(ALICE_BOB_KEY);
        assertThat(bobAlice).isEqualTo(ALICE_BOB_KEY);
        // and the box with that key alone, as crypto_box_afternm
        byte[] plaintext = padded(MESSAGE);
        byte[] box = new byte[plaintext.length];
        curve.afternm(box, plaintext, plaintext.length, NONCE, ALICE_BOB_KEY);
        assertThat(Arrays.copyOfRange(box, 16, box.length)).isEqualTo(BOX);
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 31, 32, 40, 232})
    void openRefusesABoxWithOneBitChangedInItsTagOrCiphertext(int position) {
        // positions 16..31 are the tag, 32 on the ciphertext (a 200-byte message: up to 232)
        byte[] key = bytes(32);
        byte[] nonce = bytes(24);
        byte[] plaintext = padded(bytes(201));
        byte[] box = new byte[plaintext.length];
        curve.afternm(box, plaintext, plaintext.length, nonce, key);

        for (int bit = 0; bit < 8; bit++) {
            byte[] tampered = box.clone();
            tampered[position] ^= (byte) (1 << bit);
            byte[] opened = new byte[box.length];
            Arrays.fill(opened, (byte) 0x55);

            assertThat(curve.openAfternm(opened, tampered, tampered.length, nonce, key)).isEqualTo(-1);
            assertThat(curve.secretboxOpen(opened, tampered, tampered.length, nonce, key)).isEqualTo(-1);
            assertThat(opened).as("nothing is written for a refused box").containsOnly((byte) 0x55);
        }
    }

    @Test
    void openRefusesTheWrongKeyOrNonce() {
        byte[] key = bytes(32);
        byte[] nonce = bytes(24);
        byte[] plaintext = padded(bytes(100));
        byte[] box = new byte[plaintext.length];
        curve.secretbox(box, plaintext, plaintext.length, nonce, key);
        byte[] opened = new byte[box.length];

        byte[] otherKey = key.clone();
        otherKey[31] ^= 1;
        assertThat(curve.secretboxOpen(opened, box, box.length, nonce, otherKey)).isEqualTo(-1);
        byte[] otherNonce = nonce.clone();
        otherNonce[23] ^= 1;
        assertThat(curve.secretboxOpen(opened, box, box.length, otherNonce, key)).isEqualTo(-1);
        byte[] otherPrefix = nonce.clone();
        otherPrefix[0] ^= 1;
        assertThat(curve.secretboxOpen(opened, box, box.length, otherPrefix, key)).isEqualTo(-1);
        assertThat(curve.secretboxOpen(opened, box, box.length, nonce, key)).isZero();
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** NaCl's layout: 32 zero bytes, then the message. */
    private static byte[] padded(byte[] message) {
        byte[] plaintext = new byte[32 + message.length];
        System.arraycopy(message, 0, plaintext, 32, message.length);
        return plaintext;
    }
}
