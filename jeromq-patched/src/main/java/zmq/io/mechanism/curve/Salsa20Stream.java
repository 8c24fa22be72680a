// Part of meshrpc's patch of JeroMQ 0.6.0 (module jeromq-patched), under the Mozilla Public License,
// v. 2.0, like the JeroMQ classes beside it. If a copy of the MPL was not distributed with this file,
// You can obtain one at https://mozilla.org/MPL/2.0/.
package zmq.io.mechanism.curve;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Salsa20/20 keystream XOR-ed over a message, as NaCl's crypto_stream_salsa20_xor computes it
 * (a 32-byte key, an 8-byte nonce, a 64-bit block counter from 0).
 *
 * <p>Written here because BouncyCastle's Salsa20Engine XORs its keystream a byte at a time, with a
 * branch per byte: over a CURVE session's messages that was half of the CPU of a CURVE cast in the
 * profile. Whole blocks are XOR-ed here a 32-bit word at a time, in place of the engine; the core
 * ({@link #rounds}) is HSalsa20's too.
 *
 * <p>Where the JVM runs with {@code --add-modules jdk.incubator.vector}, runs of whole blocks go
 * through {@link Salsa20Lanes}, several blocks at once, one per vector lane; the bytes are the same.
 *
 * <p>Not thread safe: one per {@link XSalsa20Poly1305}, on its mechanism's I/O thread.
 */
final class Salsa20Stream
{
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Whether {@link Salsa20Lanes} can run in this JVM: with the module (checked first: without it,
     * loading that class fails), with vectors on this CPU, and with C2, which turns the Vector API
     * into vector instructions. Under C1 alone ({@code -XX:TieredStopAtLevel=1}, as bin/demo runs its
     * services) every vector operation is an object and an array loop, far slower than the scalar core.
     */
    static final boolean LANES_AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && optimizingCompiler() && Salsa20Lanes.available();

    private final int[] state = new int[16];
    private final int[] block = new int[16];
    private final byte[] blockBytes = new byte[64];
    /** Scratch for {@link Salsa20Lanes}; null when whole blocks go through the scalar core. */
    private final int[] lanes;
    /** Bytes of {@link #blockBytes} already used; 64 when none is left. */
    private int used = 64;

    /** A stream that takes the vector lanes where this JVM has them. */
    Salsa20Stream()
    {
        this(LANES_AVAILABLE);
    }

    /** @param lanes whether runs of whole blocks go through {@link Salsa20Lanes}; only where {@link #LANES_AVAILABLE} */
    Salsa20Stream(boolean lanes)
    {
        this.lanes = lanes ? new int[Salsa20Lanes.WORDS] : null;
    }

    /** Whether HotSpot compiles with C2; false where that cannot be told (no HotSpot, no jdk.management). */
    private static boolean optimizingCompiler()
    {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hotSpot = java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (hotSpot == null || !"true".equals(hotSpot.getVMOption("UseCompiler").getValue())) {
                return false;
            }
            return !"true".equals(hotSpot.getVMOption("TieredCompilation").getValue())
                    || "4".equals(hotSpot.getVMOption("TieredStopAtLevel").getValue());
        }
        catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Starts the keystream of {@code key} (32 bytes) and the 8-byte nonce at {@code nonce[nonceOff]}. */
    void init(byte[] key, byte[] nonce, int nonceOff)
    {
        state[0] = HSalsa20.SIGMA0;
        state[5] = HSalsa20.SIGMA1;
        state[10] = HSalsa20.SIGMA2;
        state[15] = HSalsa20.SIGMA3;
        for (int i = 0; i < 4; i++) {
            state[1 + i] = (int) WORDS.get(key, 4 * i);
            state[11 + i] = (int) WORDS.get(key, 16 + 4 * i);
        }
        state[6] = (int) WORDS.get(nonce, nonceOff);
        state[7] = (int) WORDS.get(nonce, nonceOff + 4);
        state[8] = 0;
        state[9] = 0;
        used = 64;
    }

    /** out[outOff .. + len] = in[inOff .. + len] XOR the next len keystream bytes. */
    void xor(byte[] in, int inOff, int len, byte[] out, int outOff)
    {
        int i = 0;
        while (i < len && used < 64) {
            out[outOff + i] = (byte) (in[inOff + i] ^ blockBytes[used++]);
            i++;
        }
        if (lanes != null) {
            while (len - i >= Salsa20Lanes.BYTES) {
                Salsa20Lanes.xor(state, in, inOff + i, out, outOff + i, lanes);
                i += Salsa20Lanes.BYTES;
            }
        }
        while (len - i >= 64) {
            next();
            for (int w = 0; w < 16; w++) {
                int at = 4 * w + i;
                WORDS.set(out, outOff + at, (int) WORDS.get(in, inOff + at) ^ block[w]);
            }
            i += 64;
        }
        if (i < len) {
            next();
            for (int w = 0; w < 16; w++) {
                WORDS.set(blockBytes, 4 * w, block[w]);
            }
            used = 0;
            while (i < len) {
                out[outOff + i] = (byte) (in[inOff + i] ^ blockBytes[used++]);
                i++;
            }
        }
    }

    /** The next 64-byte block of keystream, as words, into {@link #block}; the counter moves on. */
    private void next()
    {
        rounds(state, block);
        for (int i = 0; i < 16; i++) {
            block[i] += state[i];
        }
        if (++state[8] == 0) {
            ++state[9];
        }
    }

    /**
     * The Salsa20 core's twenty rounds over {@code in} (16 words) into {@code out}, without the final
     * addition of the input: Salsa20 adds it ({@link #next}), HSalsa20 does not ({@link HSalsa20}).
     */
    static void rounds(int[] in, int[] out)
    {
        int x00 = in[0];
        int x01 = in[1];
        int x02 = in[2];
        int x03 = in[3];
        int x04 = in[4];
        int x05 = in[5];
        int x06 = in[6];
        int x07 = in[7];
        int x08 = in[8];
        int x09 = in[9];
        int x10 = in[10];
        int x11 = in[11];
        int x12 = in[12];
        int x13 = in[13];
        int x14 = in[14];
        int x15 = in[15];
        for (int r = 0; r < 10; r++) {
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
        out[0] = x00;
        out[1] = x01;
        out[2] = x02;
        out[3] = x03;
        out[4] = x04;
        out[5] = x05;
        out[6] = x06;
        out[7] = x07;
        out[8] = x08;
        out[9] = x09;
        out[10] = x10;
        out[11] = x11;
        out[12] = x12;
        out[13] = x13;
        out[14] = x14;
        out[15] = x15;
    }
}
