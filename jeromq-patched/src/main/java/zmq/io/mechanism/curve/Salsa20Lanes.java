// Part of meshrpc's patch of JeroMQ 0.6.0 (module jeromq-patched), under the Mozilla Public License,
// v. 2.0, like the JeroMQ classes beside it. If a copy of the MPL was not distributed with this file,
// You can obtain one at https://mozilla.org/MPL/2.0/.
package zmq.io.mechanism.curve;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Salsa20 over several consecutive 64-byte blocks at once, one block per lane of a vector (8 blocks
 * with 256-bit vectors, 4 with 128-bit ones): the same twenty rounds as {@link Salsa20Stream#rounds},
 * on {@link IntVector}s instead of ints. On a 2-core AMD EPYC with AVX-512 this produced 2.5 GB/s of
 * keystream against 0.44 GB/s for the scalar core, which was two thirds of the I/O threads' CPU in a
 * CURVE cast.
 *
 * <p>Uses the incubating Vector API, so this class can only be loaded when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}; {@link Salsa20Stream} asks {@link #AVAILABLE} through
 * {@link #available()} only after it found the module, and keeps to its scalar core otherwise.
 *
 * <p>Stateless: the caller passes the Salsa20 state (whose words 8 and 9 are the block counter) and a
 * scratch array of {@link #WORDS} ints.
 */
final class Salsa20Lanes
{
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** 256-bit vectors where the CPU has them; wider ones gained nothing, in the measurement above. */
    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256
            ? IntVector.SPECIES_256 : IntVector.SPECIES_128;
    /** Blocks per step. */
    private static final int LANES = SPECIES.length();
    /** Bytes of keystream per step: {@link #xor} takes exactly this many. */
    static final int BYTES = 64 * LANES;
    /** Size of the scratch array that {@link #xor} needs. */
    static final int WORDS = 16 * LANES;
    /**
     * Whether the CPU has vectors of 128 bits or more for C2 to use; below that the Vector API falls
     * back to plain Java arrays per operation, far slower than the scalar core.
     */
    private static final boolean AVAILABLE = IntVector.SPECIES_PREFERRED.vectorBitSize() >= 128;
    private static final int[] LANE_INDEX = laneIndex();

    private Salsa20Lanes()
    {
    }

    static boolean available()
    {
        return AVAILABLE;
    }

    /**
     * out[outOff .. + BYTES] = in[inOff .. + BYTES] XOR the next {@link #LANES} keystream blocks of
     * {@code state}, whose counter (words 8 and 9) moves on by as many.
     */
    static void xor(int[] state, byte[] in, int inOff, byte[] out, int outOff, int[] scratch)
    {
        keystream(state, scratch);
        long counter = (state[8] & 0xffffffffL) | ((long) state[9] << 32);
        counter += LANES;
        state[8] = (int) counter;
        state[9] = (int) (counter >>> 32);
        // scratch holds word w of block b at w * LANES + b
        for (int b = 0; b < LANES; b++) {
            int at = 64 * b;
            for (int w = 0; w < 16; w++) {
                int i = at + 4 * w;
                INTS.set(out, outOff + i, (int) INTS.get(in, inOff + i) ^ scratch[w * LANES + b]);
            }
        }
    }

    /** Keystream blocks counter, counter + 1, ... of {@code state}, word w of block b at {@code ks[w * LANES + b]}. */
    private static void keystream(int[] state, int[] ks)
    {
        IntVector i8 = IntVector.fromArray(SPECIES, LANE_INDEX, 0).add(state[8]);
        // a lane whose low counter word wrapped around carries into the high word
        VectorMask<Integer> wrapped = i8.compare(VectorOperators.UNSIGNED_LT, state[8]);
        IntVector i9 = IntVector.broadcast(SPECIES, state[9]).add(1, wrapped);
        IntVector i0 = IntVector.broadcast(SPECIES, state[0]);
        IntVector i1 = IntVector.broadcast(SPECIES, state[1]);
        IntVector i2 = IntVector.broadcast(SPECIES, state[2]);
        IntVector i3 = IntVector.broadcast(SPECIES, state[3]);
        IntVector i4 = IntVector.broadcast(SPECIES, state[4]);
        IntVector i5 = IntVector.broadcast(SPECIES, state[5]);
        IntVector i6 = IntVector.broadcast(SPECIES, state[6]);
        IntVector i7 = IntVector.broadcast(SPECIES, state[7]);
        IntVector i10 = IntVector.broadcast(SPECIES, state[10]);
        IntVector i11 = IntVector.broadcast(SPECIES, state[11]);
        IntVector i12 = IntVector.broadcast(SPECIES, state[12]);
        IntVector i13 = IntVector.broadcast(SPECIES, state[13]);
        IntVector i14 = IntVector.broadcast(SPECIES, state[14]);
        IntVector i15 = IntVector.broadcast(SPECIES, state[15]);
        IntVector x00 = i0;
        IntVector x01 = i1;
        IntVector x02 = i2;
        IntVector x03 = i3;
        IntVector x04 = i4;
        IntVector x05 = i5;
        IntVector x06 = i6;
        IntVector x07 = i7;
        IntVector x08 = i8;
        IntVector x09 = i9;
        IntVector x10 = i10;
        IntVector x11 = i11;
        IntVector x12 = i12;
        IntVector x13 = i13;
        IntVector x14 = i14;
        IntVector x15 = i15;
        for (int r = 0; r < 10; r++) {
            // column round
            x04 = x04.lanewise(VectorOperators.XOR, x00.add(x12).lanewise(VectorOperators.ROL, 7));
            x08 = x08.lanewise(VectorOperators.XOR, x04.add(x00).lanewise(VectorOperators.ROL, 9));
            x12 = x12.lanewise(VectorOperators.XOR, x08.add(x04).lanewise(VectorOperators.ROL, 13));
            x00 = x00.lanewise(VectorOperators.XOR, x12.add(x08).lanewise(VectorOperators.ROL, 18));
            x09 = x09.lanewise(VectorOperators.XOR, x05.add(x01).lanewise(VectorOperators.ROL, 7));
            x13 = x13.lanewise(VectorOperators.XOR, x09.add(x05).lanewise(VectorOperators.ROL, 9));
            x01 = x01.lanewise(VectorOperators.XOR, x13.add(x09).lanewise(VectorOperators.ROL, 13));
            x05 = x05.lanewise(VectorOperators.XOR, x01.add(x13).lanewise(VectorOperators.ROL, 18));
            x14 = x14.lanewise(VectorOperators.XOR, x10.add(x06).lanewise(VectorOperators.ROL, 7));
            x02 = x02.lanewise(VectorOperators.XOR, x14.add(x10).lanewise(VectorOperators.ROL, 9));
            x06 = x06.lanewise(VectorOperators.XOR, x02.add(x14).lanewise(VectorOperators.ROL, 13));
            x10 = x10.lanewise(VectorOperators.XOR, x06.add(x02).lanewise(VectorOperators.ROL, 18));
            x03 = x03.lanewise(VectorOperators.XOR, x15.add(x11).lanewise(VectorOperators.ROL, 7));
            x07 = x07.lanewise(VectorOperators.XOR, x03.add(x15).lanewise(VectorOperators.ROL, 9));
            x11 = x11.lanewise(VectorOperators.XOR, x07.add(x03).lanewise(VectorOperators.ROL, 13));
            x15 = x15.lanewise(VectorOperators.XOR, x11.add(x07).lanewise(VectorOperators.ROL, 18));
            // row round
            x01 = x01.lanewise(VectorOperators.XOR, x00.add(x03).lanewise(VectorOperators.ROL, 7));
            x02 = x02.lanewise(VectorOperators.XOR, x01.add(x00).lanewise(VectorOperators.ROL, 9));
            x03 = x03.lanewise(VectorOperators.XOR, x02.add(x01).lanewise(VectorOperators.ROL, 13));
            x00 = x00.lanewise(VectorOperators.XOR, x03.add(x02).lanewise(VectorOperators.ROL, 18));
            x06 = x06.lanewise(VectorOperators.XOR, x05.add(x04).lanewise(VectorOperators.ROL, 7));
            x07 = x07.lanewise(VectorOperators.XOR, x06.add(x05).lanewise(VectorOperators.ROL, 9));
            x04 = x04.lanewise(VectorOperators.XOR, x07.add(x06).lanewise(VectorOperators.ROL, 13));
            x05 = x05.lanewise(VectorOperators.XOR, x04.add(x07).lanewise(VectorOperators.ROL, 18));
            x11 = x11.lanewise(VectorOperators.XOR, x10.add(x09).lanewise(VectorOperators.ROL, 7));
            x08 = x08.lanewise(VectorOperators.XOR, x11.add(x10).lanewise(VectorOperators.ROL, 9));
            x09 = x09.lanewise(VectorOperators.XOR, x08.add(x11).lanewise(VectorOperators.ROL, 13));
            x10 = x10.lanewise(VectorOperators.XOR, x09.add(x08).lanewise(VectorOperators.ROL, 18));
            x12 = x12.lanewise(VectorOperators.XOR, x15.add(x14).lanewise(VectorOperators.ROL, 7));
            x13 = x13.lanewise(VectorOperators.XOR, x12.add(x15).lanewise(VectorOperators.ROL, 9));
            x14 = x14.lanewise(VectorOperators.XOR, x13.add(x12).lanewise(VectorOperators.ROL, 13));
            x15 = x15.lanewise(VectorOperators.XOR, x14.add(x13).lanewise(VectorOperators.ROL, 18));
        }
        x00.add(i0).intoArray(ks, 0);
        x01.add(i1).intoArray(ks, LANES);
        x02.add(i2).intoArray(ks, 2 * LANES);
        x03.add(i3).intoArray(ks, 3 * LANES);
        x04.add(i4).intoArray(ks, 4 * LANES);
        x05.add(i5).intoArray(ks, 5 * LANES);
        x06.add(i6).intoArray(ks, 6 * LANES);
        x07.add(i7).intoArray(ks, 7 * LANES);
        x08.add(i8).intoArray(ks, 8 * LANES);
        x09.add(i9).intoArray(ks, 9 * LANES);
        x10.add(i10).intoArray(ks, 10 * LANES);
        x11.add(i11).intoArray(ks, 11 * LANES);
        x12.add(i12).intoArray(ks, 12 * LANES);
        x13.add(i13).intoArray(ks, 13 * LANES);
        x14.add(i14).intoArray(ks, 14 * LANES);
        x15.add(i15).intoArray(ks, 15 * LANES);
    }

    private static int[] laneIndex()
    {
        int[] index = new int[LANES];
        for (int i = 0; i < LANES; i++) {
            index[i] = i;
        }
        return index;
    }
}
