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
    static final int SIGMA0 = 0x61707865;
    static final int SIGMA1 = 0x3320646e;
    static final int SIGMA2 = 0x79622d32;
    static final int SIGMA3 = 0x6b206574;

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
        int[] x = {
            SIGMA0,
            Pack.littleEndianToInt(key, 0),
            Pack.littleEndianToInt(key, 4),
            Pack.littleEndianToInt(key, 8),
            Pack.littleEndianToInt(key, 12),
            SIGMA1,
            Pack.littleEndianToInt(in, inOff),
            Pack.littleEndianToInt(in, inOff + 4),
            Pack.littleEndianToInt(in, inOff + 8),
            Pack.littleEndianToInt(in, inOff + 12),
            SIGMA2,
            Pack.littleEndianToInt(key, 16),
            Pack.littleEndianToInt(key, 20),
            Pack.littleEndianToInt(key, 24),
            Pack.littleEndianToInt(key, 28),
            SIGMA3,
        };
        Salsa20Stream.rounds(x, x);
        // no final addition (that is what makes it HSalsa20, not Salsa20)
        Pack.intToLittleEndian(x[0], out, 0);
        Pack.intToLittleEndian(x[5], out, 4);
        Pack.intToLittleEndian(x[10], out, 8);
        Pack.intToLittleEndian(x[15], out, 12);
        Pack.intToLittleEndian(x[6], out, 16);
        Pack.intToLittleEndian(x[7], out, 20);
        Pack.intToLittleEndian(x[8], out, 24);
        Pack.intToLittleEndian(x[9], out, 28);
    }
}
