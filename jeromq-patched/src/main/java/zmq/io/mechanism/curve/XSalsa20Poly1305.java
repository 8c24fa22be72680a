// Part of meshrpc's patch of JeroMQ 0.6.0 (module jeromq-patched), under the Mozilla Public License,
// v. 2.0, like the JeroMQ classes beside it. If a copy of the MPL was not distributed with this file,
// You can obtain one at https://mozilla.org/MPL/2.0/.
package zmq.io.mechanism.curve;


/**
 * NaCl's crypto_secretbox_xsalsa20poly1305 and its open, on a Salsa20 keystream of its own
 * ({@link Salsa20Stream}) and Poly1305 ({@link Poly1305Donna}), byte for byte what jnacl 1.0.0 (and NaCl,
 * and libsodium) compute, with NaCl's padding: the message starts with ZEROBYTES (32) bytes that should be zero, the box with BOXZEROBYTES (16)
 * zero bytes, then the 16-byte tag, then the ciphertext.
 *
 * <p>XSalsa20 is HSalsa20(key, nonce[0..16]) as the key of Salsa20 with nonce[16..24]. Composing it
 * here rather than using BouncyCastle's XSalsa20Engine lets one instance keep the subkey: a CURVE
 * session seals all its messages with the same box key under one nonce prefix per direction
 * ("CurveZMQMESSAGEC", "CurveZMQMESSAGES", then an 8-byte counter), so the subkeys of the two
 * directions, kept in two slots, are computed once per session instead of once per message.
 *
 * <p>Not thread safe: an instance holds the engine, the MAC, scratch bytes and the subkeys. Curve keeps
 * one per instance for the package-private calls of the mechanism that owns it, which all run on
 * that mechanism's I/O thread.
 */
final class XSalsa20Poly1305
{
    static final int ZEROBYTES = 32;
    static final int BOXZEROBYTES = 16;

    private static final byte[] ZERO32 = new byte[32];

    private final Salsa20Stream salsa20 = new Salsa20Stream();
    private final byte[] oneTimeKey = new byte[32];
    private final byte[] tag = new byte[16];

    // Two subkey slots (one per direction of a session); slot i holds
    // HSalsa20(keys[i], prefixes[i]) in subkeys[i] when filled[i].
    private final byte[][] keys = new byte[2][32];
    private final byte[][] prefixes = new byte[2][16];
    private final byte[][] subkeys = new byte[2][32];
    private final boolean[] filled = new boolean[2];
    private int lastSlot;

    /**
     * crypto_secretbox: c[0..16] = 0, c[16..32] = tag, c[32..mlen] = ciphertext of m[32..mlen].
     *
     * @return 0, or -1 (nothing written) when mlen &lt; 32
     */
    int seal(byte[] c, byte[] m, int mlen, byte[] n, byte[] k)
    {
        if (mlen < ZEROBYTES) {
            return -1;
        }
        start(n, k);
        // NaCl takes the one-time Poly1305 key from the first 32 bytes of the box, i.e. the first
        // 32 keystream bytes XOR m[0..32]: the keystream itself when the caller zeroed them, as NaCl
        // requires (and every caller in JeroMQ does). XOR-ing m keeps even non-zero padding identical.
        salsa20.xor(m, 0, ZEROBYTES, oneTimeKey, 0);
        salsa20.xor(m, ZEROBYTES, mlen - ZEROBYTES, c, ZEROBYTES);
        Poly1305Donna.mac(oneTimeKey, c, ZEROBYTES, mlen - ZEROBYTES, c, BOXZEROBYTES);
        for (int i = 0; i < BOXZEROBYTES; i++) {
            c[i] = 0;
        }
        return 0;
    }

    /**
     * crypto_secretbox_open: checks the tag c[16..32] over c[32..clen] and only then writes
     * m[0..32] = 0, m[32..clen] = plaintext.
     *
     * @return 0, or -1 (nothing written) when clen &lt; 32 or the tag does not match
     */
    int open(byte[] m, byte[] c, int clen, byte[] n, byte[] k)
    {
        if (clen < ZEROBYTES) {
            return -1;
        }
        start(n, k);
        salsa20.xor(ZERO32, 0, ZEROBYTES, oneTimeKey, 0);
        Poly1305Donna.mac(oneTimeKey, c, ZEROBYTES, clen - ZEROBYTES, tag, 0);
        if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(16, tag, 0, c, BOXZEROBYTES)) {
            return -1;
        }
        salsa20.xor(c, ZEROBYTES, clen - ZEROBYTES, m, ZEROBYTES);
        for (int i = 0; i < ZEROBYTES; i++) {
            m[i] = 0;
        }
        return 0;
    }

    /** Sets the engine to the start of the XSalsa20 keystream of (n, k). */
    private void start(byte[] n, byte[] k)
    {
        salsa20.init(subkey(n, k), n, 16);
    }

    private byte[] subkey(byte[] n, byte[] k)
    {
        for (int slot = 0; slot < 2; slot++) {
            // constant time on the key: its bytes are secret; the nonce prefix is not
            if (filled[slot] && java.util.Arrays.equals(prefixes[slot], 0, 16, n, 0, 16)
                    && org.bouncycastle.util.Arrays.constantTimeAreEqual(32, keys[slot], 0, k, 0)) {
                lastSlot = slot;
                return subkeys[slot];
            }
        }
        int slot = 1 - lastSlot; // the one not used last
        System.arraycopy(k, 0, keys[slot], 0, 32);
        System.arraycopy(n, 0, prefixes[slot], 0, 16);
        HSalsa20.hsalsa20(subkeys[slot], k, n, 0);
        filled[slot] = true;
        lastSlot = slot;
        return subkeys[slot];
    }
}
