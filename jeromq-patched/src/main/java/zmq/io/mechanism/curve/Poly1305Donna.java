// Part of meshrpc's patch of JeroMQ 0.6.0 (module jeromq-patched), under the Mozilla Public License,
// v. 2.0, like the JeroMQ classes beside it. If a copy of the MPL was not distributed with this file,
// You can obtain one at https://mozilla.org/MPL/2.0/.
package zmq.io.mechanism.curve;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Poly1305 (NaCl's crypto_onetimeauth), one-shot, after poly1305-donna's 64-bit version: the number
 * is held in three limbs of 44, 44 and 42 bits and multiplied with 64x64-to-128-bit products
 * ({@link Math#multiplyHigh}), nine per 16-byte block, where BouncyCastle's 32-bit Poly1305 makes
 * twenty-five; it was a fifth of a CURVE cast's CPU in the profile.
 */
final class Poly1305Donna
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MASK44 = 0xfffffffffffL;
    private static final long MASK42 = 0x3ffffffffffL;

    private Poly1305Donna()
    {
    }

    /** Writes the 16-byte tag of m[off .. off + len] under the 32-byte one-time key to out[outOff ..]. */
    static void mac(byte[] key, byte[] m, int off, int len, byte[] out, int outOff)
    {
        long t0 = (long) LONGS.get(key, 0);
        long t1 = (long) LONGS.get(key, 8);
        long r0 = t0 & 0xffc0fffffffL;
        long r1 = ((t0 >>> 44) | (t1 << 20)) & 0xfffffc0ffffL;
        long r2 = (t1 >>> 24) & 0x00ffffffc0fL;
        long s1 = r1 * (5 << 2);
        long s2 = r2 * (5 << 2);

        long h0 = 0;
        long h1 = 0;
        long h2 = 0;
        byte[] last = null;
        int at = off;
        int end = off + len;
        while (true) {
            long m0;
            long m1;
            long hibit;
            if (end - at >= 16) {
                m0 = (long) LONGS.get(m, at);
                m1 = (long) LONGS.get(m, at + 8);
                hibit = 1L << 40;
                at += 16;
            } else if (end > at) {
                last = new byte[16];
                System.arraycopy(m, at, last, 0, end - at);
                last[end - at] = 1;
                m0 = (long) LONGS.get(last, 0);
                m1 = (long) LONGS.get(last, 8);
                hibit = 0;
                at = end;
            } else {
                break;
            }
            h0 += m0 & MASK44;
            h1 += ((m0 >>> 44) | (m1 << 20)) & MASK44;
            h2 += ((m1 >>> 24) & MASK42) | hibit;

            // d = h * r, three 128-bit sums as (hi, lo)
            long d0lo = h0 * r0;
            long d0hi = Math.multiplyHigh(h0, r0);
            long p = h1 * s2;
            d0hi += Math.multiplyHigh(h1, s2) + carry(d0lo, p);
            d0lo += p;
            p = h2 * s1;
            d0hi += Math.multiplyHigh(h2, s1) + carry(d0lo, p);
            d0lo += p;

            long d1lo = h0 * r1;
            long d1hi = Math.multiplyHigh(h0, r1);
            p = h1 * r0;
            d1hi += Math.multiplyHigh(h1, r0) + carry(d1lo, p);
            d1lo += p;
            p = h2 * s2;
            d1hi += Math.multiplyHigh(h2, s2) + carry(d1lo, p);
            d1lo += p;

            long d2lo = h0 * r2;
            long d2hi = Math.multiplyHigh(h0, r2);
            p = h1 * r1;
            d2hi += Math.multiplyHigh(h1, r1) + carry(d2lo, p);
            d2lo += p;
            p = h2 * r0;
            d2hi += Math.multiplyHigh(h2, r0) + carry(d2lo, p);
            d2lo += p;

            // partial reduction mod 2^130 - 5
            long c = (d0lo >>> 44) | (d0hi << 20);
            h0 = d0lo & MASK44;
            d1hi += carry(d1lo, c);
            d1lo += c;
            c = (d1lo >>> 44) | (d1hi << 20);
            h1 = d1lo & MASK44;
            d2hi += carry(d2lo, c);
            d2lo += c;
            c = (d2lo >>> 42) | (d2hi << 22);
            h2 = d2lo & MASK42;
            h0 += c * 5;
            c = h0 >>> 44;
            h0 &= MASK44;
            h1 += c;
        }

        // full carry
        long c = h1 >>> 44;
        h1 &= MASK44;
        h2 += c;
        c = h2 >>> 42;
        h2 &= MASK42;
        h0 += c * 5;
        c = h0 >>> 44;
        h0 &= MASK44;
        h1 += c;
        c = h1 >>> 44;
        h1 &= MASK44;
        h2 += c;
        c = h2 >>> 42;
        h2 &= MASK42;
        h0 += c * 5;
        c = h0 >>> 44;
        h0 &= MASK44;
        h1 += c;

        // h - p, chosen in constant time if h >= p
        long g0 = h0 + 5;
        c = g0 >>> 44;
        g0 &= MASK44;
        long g1 = h1 + c;
        c = g1 >>> 44;
        g1 &= MASK44;
        long g2 = h2 + c - (1L << 42);
        c = (g2 >>> 63) - 1;
        g0 &= c;
        g1 &= c;
        g2 &= c;
        c = ~c;
        h0 = (h0 & c) | g0;
        h1 = (h1 & c) | g1;
        h2 = (h2 & c) | g2;

        // h + s mod 2^128
        t0 = (long) LONGS.get(key, 16);
        t1 = (long) LONGS.get(key, 24);
        h0 += t0 & MASK44;
        c = h0 >>> 44;
        h0 &= MASK44;
        h1 += (((t0 >>> 44) | (t1 << 20)) & MASK44) + c;
        c = h1 >>> 44;
        h1 &= MASK44;
        h2 += ((t1 >>> 24) & MASK42) + c;
        h2 &= MASK42;

        LONGS.set(out, outOff, h0 | (h1 << 44));
        LONGS.set(out, outOff + 8, (h1 >>> 20) | (h2 << 24));
    }

    /** 1 if lo + add overflows 64 bits (unsigned), else 0. */
    private static long carry(long lo, long add)
    {
        return Long.compareUnsigned(lo + add, lo) < 0 ? 1 : 0;
    }
}
