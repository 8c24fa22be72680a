// This file is a modified copy of src/main/java/zmq/io/mechanism/curve/Curve.java of JeroMQ 0.6.0
// (https://github.com/zeromq/jeromq), which is subject to the terms of the Mozilla Public License,
// v. 2.0. If a copy of the MPL was not distributed with this file, You can obtain one at
// https://mozilla.org/MPL/2.0/.
//
// Modified by meshrpc: the NaCl primitives under CURVE come from BouncyCastle (X25519, Salsa20Engine,
// Poly1305) and the small HSalsa20 beside this class, instead of jnacl 1.0.0, a pure-Java port of
// NaCl's reference code that works a byte at a time; CURVE seals and opens a box per ZeroMQ
// message, so that cost was paid per message. The bytes are those of jnacl (and NaCl, and libzmq's
// libsodium: CURVE peers must agree on every bit) for every key that a key pair can make (see
// cryptoBoxBeforenm for the others); the API and the return codes are JeroMQ's. One instance now
// keeps an XSalsa20Poly1305 (engine, MAC, scratch, subkeys) for its package-private calls: each
// CurveClientMechanism or CurveServerMechanism makes its own Curve and calls it only from its
// engine's I/O thread. The public methods (keypair, box), which applications may call from any
// thread, share nothing. Marked "meshrpc:" below; checked against jnacl and NaCl's test vectors by
// jeromq-patched's CurveTest.
package zmq.io.mechanism.curve;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.math.ec.rfc7748.X25519;

import zmq.util.Utils;
import zmq.util.Z85;

// wrapper around the wrapper of libsodium (ahem), for shorter names.
public class Curve
{
    enum Size
    {
        NONCE {
            @Override
            public int bytes()
            {
                return 24;
            }
        },
        ZERO {
            @Override
            public int bytes()
            {
                return XSalsa20Poly1305.ZEROBYTES;
            }
        },
        BOXZERO {
            @Override
            public int bytes()
            {
                return XSalsa20Poly1305.BOXZEROBYTES;
            }
        },
        PUBLICKEY {
            @Override
            public int bytes()
            {
                return X25519.POINT_SIZE;
            }
        },
        SECRETKEY {
            @Override
            public int bytes()
            {
                return X25519.SCALAR_SIZE;
            }
        },
        KEY {
            @Override
            public int bytes()
            {
                return 32;
            }
        },
        BEFORENM {
            @Override
            public int bytes()
            {
                return 32;
            }
        };

        public abstract int bytes();
    }

    // meshrpc: jnacl's crypto_box_keypair made a new SecureRandom per key pair; one, shared, will do
    // (SecureRandom is thread safe)
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final byte[] ZERO16 = new byte[16];

    // meshrpc: the secretbox state of this instance's package-private calls, all made by the one
    // mechanism that owns it, on its engine's I/O thread (see the header); made on first use, as
    // many instances only make a key pair
    private XSalsa20Poly1305 sessionBox;

    public Curve()
    {
    }

    // meshrpc: crypto_box_keypair as NaCl and jnacl do it: 32 random bytes are the secret key (kept
    // as drawn; X25519 clamps them when it uses them), their X25519 product with the base point the
    // public key
    private static int cryptoBoxKeypair(byte[] publicKey, byte[] secretKey)
    {
        RANDOM.nextBytes(secretKey);
        X25519.scalarMultBase(secretKey, 0, publicKey, 0);
        return 0;
    }

    // meshrpc: crypto_box_beforenm: HSalsa20 of the X25519 shared secret with 16 zero bytes.
    // BouncyCastle's X25519 is RFC 7748's, like libsodium's (libzmq's): it ignores bit 255 of the
    // peer's key, which jnacl, as NaCl's reference code, used; no key pair makes such a key. Like
    // jnacl, unlike libsodium, it does not refuse a peer key of small order (an all-zero shared
    // secret): the mechanisms assert that beforenm returns 0.
    private static int cryptoBoxBeforenm(byte[] outSharedKey, byte[] publicKey, byte[] secretKey)
    {
        byte[] shared = new byte[32];
        X25519.scalarMult(secretKey, 0, publicKey, 0, shared, 0);
        HSalsa20.hsalsa20(outSharedKey, shared, ZERO16, 0);
        Arrays.fill(shared, (byte) 0);
        return 0;
    }

    private XSalsa20Poly1305 sessionBox()
    {
        if (sessionBox == null) {
            sessionBox = new XSalsa20Poly1305();
        }
        return sessionBox;
    }

    public static String z85EncodePublic(byte[] publicKey)
    {
        return Z85.encode(publicKey, Size.PUBLICKEY.bytes());
    }

    /**
     * Generates a pair of Z85-encoded keys for use with this class.
     *
     * @return an array of 2 strings, holding Z85-encoded keys.
     * The first element of the array is the public key,
     * the second element is the private (or secret) key.
     */
    public String[] keypairZ85()
    {
        String[] pair = new String[2];

        byte[] publicKey = new byte[Size.PUBLICKEY.bytes()];
        byte[] secretKey = new byte[Size.SECRETKEY.bytes()];

        int rc = cryptoBoxKeypair(publicKey, secretKey);
        assert (rc == 0);

        pair[0] = Z85.encode(publicKey, Size.PUBLICKEY.bytes());
        pair[1] = Z85.encode(secretKey, Size.SECRETKEY.bytes());

        return pair;
    }

    /**
     * Generates a pair of keys for use with this class.
     *
     * @return an array of 2 byte arrays, holding keys.
     * The first element of the array is the public key,
     * the second element is the private (or secret) key.
     */
    public byte[][] keypair()
    {
        byte[][] pair = new byte[2][];

        byte[] publicKey = new byte[Size.PUBLICKEY.bytes()];
        byte[] secretKey = new byte[Size.SECRETKEY.bytes()];

        int rc = cryptoBoxKeypair(publicKey, secretKey);
        assert (rc == 0);

        pair[0] = publicKey;
        pair[1] = secretKey;

        return pair;
    }

    int beforenm(byte[] outSharedKey, byte[] publicKey, byte[] secretKey)
    {
        return cryptoBoxBeforenm(outSharedKey, publicKey, secretKey);
    }

    int afternm(ByteBuffer ciphered, ByteBuffer plaintext, int length, ByteBuffer nonce, byte[] precom)
    {
        return afternm(ciphered.array(), plaintext.array(), length, nonce.array(), precom);
    }

    int afternm(byte[] ciphered, byte[] plaintext, int length, byte[] nonce, byte[] precomp)
    {
        return sessionBox().seal(ciphered, plaintext, length, nonce, precomp);
    }

    int openAfternm(ByteBuffer plaintext, ByteBuffer messagebox, int length, ByteBuffer nonce, byte[] precom)
    {
        return openAfternm(plaintext.array(), messagebox.array(), length, nonce.array(), precom);
    }

    int openAfternm(byte[] plaintext, byte[] cipher, int length, byte[] nonce, byte[] precom)
    {
        return sessionBox().open(plaintext, cipher, length, nonce, precom);
    }

    int open(ByteBuffer plaintext, ByteBuffer messagebox, int length, ByteBuffer nonce, byte[] precom, byte[] secretKey)
    {
        return open(plaintext.array(), messagebox.array(), length, nonce.array(), precom, secretKey);
    }

    int open(byte[] plaintext, byte[] messagebox, int length, byte[] nonce, byte[] publicKey, byte[] secretKey)
    {
        byte[] key = new byte[Size.BEFORENM.bytes()];
        cryptoBoxBeforenm(key, publicKey, secretKey);
        return sessionBox().open(plaintext, messagebox, length, nonce, key);
    }

    int secretbox(ByteBuffer ciphertext, ByteBuffer plaintext, int length, ByteBuffer nonce, byte[] key)
    {
        return secretbox(ciphertext.array(), plaintext.array(), length, nonce.array(), key);
    }

    int secretbox(byte[] ciphertext, byte[] plaintext, int length, byte[] nonce, byte[] key)
    {
        return sessionBox().seal(ciphertext, plaintext, length, nonce, key);
    }

    int secretboxOpen(ByteBuffer plaintext, ByteBuffer box, int length, ByteBuffer nonce, byte[] key)
    {
        return secretboxOpen(plaintext.array(), box.array(), length, nonce.array(), key);
    }

    int secretboxOpen(byte[] plaintext, byte[] box, int length, byte[] nonce, byte[] key)
    {
        return sessionBox().open(plaintext, box, length, nonce, key);
    }

    byte[] random(int length)
    {
        return Utils.randomBytes(length);
    }

    public int box(ByteBuffer ciphertext, ByteBuffer plaintext, int length, ByteBuffer nonce, byte[] publicKey,
                   byte[] secretKey)
    {
        return box(ciphertext.array(), plaintext.array(), length, nonce.array(), publicKey, secretKey);
    }

    public int box(byte[] ciphertext, byte[] plaintext, int length, byte[] nonce, byte[] publicKey, byte[] secretKey)
    {
        // meshrpc: public, so possibly called from any thread: its own secretbox state, not this instance's
        byte[] key = new byte[Size.BEFORENM.bytes()];
        cryptoBoxBeforenm(key, publicKey, secretKey);
        return new XSalsa20Poly1305().seal(ciphertext, plaintext, length, nonce, key);
    }
}
