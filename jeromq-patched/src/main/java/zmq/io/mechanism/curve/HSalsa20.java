// Part of meshrpc's patch of JeroMQ 0.6.0 (module jeromq-patched), under the Mozilla Public License,
// v. 2.0, like the JeroMQ classes beside it. If a copy of the MPL was not distributed with this file,
// You can obtain one at https://mozilla.org/MPL/2.0/.
package zmq.io.mechanism.curve;

import org.bouncycastle.util.Pack;

/**
 * HSalsa20 (NaCl's crypto_core_hsalsa20): the Salsa20 core, 20 rounds, without the final addition
 * of the input, keeping words 0, 5, 10, 15, 6, 7, 8, 9 of the result. NaCl uses it twice: to turn an
 * X25519 shared secret into a box key (crypto_box_beforenm, with 16 zero bytes as input) and, in
 * XSalsa20, to derive a Salsa20 subkey from a key and the first 16 bytes of a 24-byte nonce.
 *
 * <p>Written here because BouncyCastle's lightweight API has no public HSalsa20: XSalsa20Engine
 * computes it privately inside setKey (and so once more at every init), and Salsa20Engine.salsaCore
 * always adds the input back. Having it as a function lets Curve compute a box key once per peer and
 * an XSalsa20 subkey once per key and nonce prefix (see XSalsa20Poly1305).
 */
final class HSalsa20
{
    // "expand 32-byte k", little-endian words
    private static final int SIGMA0 = 0x61707865;
    private static final int SIGMA1 = 0x3320646e;
    private static final int SIGMA2 = 0x79622d32;
    private static final int SIGMA3 = 0x6b206574;

    private HSalsa20()
    {
    }

    /**
     * Writes HSalsa20(key, in[inOff .. inOff + 16]) to out[0 .. 32].
     *
     * @param out 32 bytes out; may be key itself
     * @param key 32 bytes
     * @param in 16 bytes from inOff
     */
    static void hsalsa20(byte[] out, byte[] key, byte[] in, int inOff)
    {
        int x00 = SIGMA0;
        int x01 = Pack.littleEndianToInt(key, 0);
        int x02 = Pack.littleEndianToInt(key, 4);
        int x03 = Pack.littleEndianToInt(key, 8);
        int x04 = Pack.littleEndianToInt(key, 12);
        int x05 = SIGMA1;
        int x06 = Pack.littleEndianToInt(in, inOff);
        int x07 = Pack.littleEndianToInt(in, inOff + 4);
        int x08 = Pack.littleEndianToInt(in, inOff + 8);
        int x09 = Pack.littleEndianToInt(in, inOff + 12);
        int x10 = SIGMA2;
        int x11 = Pack.littleEndianToInt(key, 16);
        int x12 = Pack.littleEndianToInt(key, 20);
        int x13 = Pack.littleEndianToInt(key, 24);
        int x14 = Pack.littleEndianToInt(key, 28);
        int x15 = SIGMA3;

        for (int i = 0; i < 10; i++) {
            // column round
            x04 ^= Integer.rotateLeft(x00 + x12, 7);
            x08 ^= Integer.rotateLeft(x04 + x00, 9);
            x12 ^= Integer.rotateLeft(x08 + x04, 13);
            x00 ^= Integer.rotateLeft(x12 + x08, 18);
            x09 ^= Integer.rotateLeft(x05 + x01, 7);
            x13 ^= Integer.rotateLeft(x09 + x05, 9);
            x01 ^= Integer.rotateLeft(x13 + x09, 13);
            x05 ^= Integer.rotateLeft(x01 + x13, 18);
            x14 ^= Integer.rotateLeft(x10 + x06, 7);
            x02 ^= Integer.rotateLeft(x14 + x10, 9);
            x06 ^= Integer.rotateLeft(x02 + x14, 13);
            x10 ^= Integer.rotateLeft(x06 + x02, 18);
            x03 ^= Integer.rotateLeft(x15 + x11, 7);
            x07 ^= Integer.rotateLeft(x03 + x15, 9);
            x11 ^= Integer.rotateLeft(x07 + x03, 13);
            x15 ^= Integer.rotateLeft(x11 + x07, 18);
            // row round
            x01 ^= Integer.rotateLeft(x00 + x03, 7);
            x02 ^= Integer.rotateLeft(x01 + x00, 9);
            x03 ^= Integer.rotateLeft(x02 + x01, 13);
            x00 ^= Integer.rotateLeft(x03 + x02, 18);
            x06 ^= Integer.rotateLeft(x05 + x04, 7);
            x07 ^= Integer.rotateLeft(x06 + x05, 9);
            x04 ^= Integer.rotateLeft(x07 + x06, 13);
            x05 ^= Integer.rotateLeft(x04 + x07, 18);
            x11 ^= Integer.rotateLeft(x10 + x09, 7);
            x08 ^= Integer.rotateLeft(x11 + x10, 9);
            x09 ^= Integer.rotateLeft(x08 + x11, 13);
            x10 ^= Integer.rotateLeft(x09 + x08, 18);
            x12 ^= Integer.rotateLeft(x15 + x14, 7);
            x13 ^= Integer.rotateLeft(x12 + x15, 9);
            x14 ^= Integer.rotateLeft(x13 + x12, 13);
            x15 ^= Integer.rotateLeft(x14 + x13, 18);
        }

        // no final addition (that is what makes it HSalsa20, not Salsa20)
        Pack.intToLittleEndian(x00, out, 0);
        Pack.intToLittleEndian(x05, out, 4);
        Pack.intToLittleEndian(x10, out, 8);
        Pack.intToLittleEndian(x15, out, 12);
        Pack.intToLittleEndian(x06, out, 16);
        Pack.intToLittleEndian(x07, out, 20);
        Pack.intToLittleEndian(x08, out, 24);
        Pack.intToLittleEndian(x09, out, 28);
    }
}
