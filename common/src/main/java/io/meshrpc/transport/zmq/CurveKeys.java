package io.meshrpc.transport.zmq;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import org.zeromq.ZMQ;

/**
 * A CURVE key pair in Z85 text, as ZeroMQ tools print them (40 characters each).
 *
 * <p>The key file is two properties, {@code public-key} and {@code secret-key}; it is written
 * readable by its owner only. The public key is what other nodes learn through the matchmaker (for
 * servers) or put on their allow-list (for clients); the secret key never leaves the node.
 *
 * @param publicKey Z85 public key
 * @param secretKey Z85 secret key
 */
public record CurveKeys(String publicKey, String secretKey) {

    public CurveKeys {
        check("public", publicKey);
        check("secret", secretKey);
    }

    /** A fresh key pair. */
    public static CurveKeys generate() {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        return new CurveKeys(pair.publicKey, pair.secretKey);
    }

    /** Reads a key file written by {@link #write(Path)} (or by hand in the same form). */
    public static CurveKeys read(Path file) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file)));
            return new CurveKeys(p.getProperty("public-key"), p.getProperty("secret-key"));
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the CURVE key file " + file, ex);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(ex.getMessage() + " (in " + file + ")", ex);
        }
    }

    /** Writes the pair to {@code file}, readable by its owner only where the file system allows. */
    public void write(Path file) throws IOException {
        String text = "# meshrpc CURVE key pair (Z85). Keep secret-key secret; share public-key.\n"
                + "public-key=" + publicKey + "\nsecret-key=" + secretKey + "\n";
        Files.writeString(file, text);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ex) {
            // not a POSIX file system: the caller protects the file
        }
    }

    byte[] publicKeyBytes() {
        return ZMQ.Curve.z85Decode(publicKey);
    }

    byte[] secretKeyBytes() {
        return ZMQ.Curve.z85Decode(secretKey);
    }

    /** Whether {@code key} is a well-formed Z85 CURVE key. */
    public static boolean isKey(String key) {
        return key != null && key.length() == ZMQ.Curve.KEY_SIZE_Z85 && ZMQ.Curve.z85Decode(key) != null;
    }

    private static void check(String which, String key) {
        if (!isKey(key)) {
            throw new IllegalArgumentException("The CURVE " + which + " key must be 40 Z85 characters, was "
                    + (key == null ? "missing" : key.length() + " characters"));
        }
    }

    @Override
    public String toString() {
        return "CurveKeys[publicKey=" + publicKey + ", secretKey=(hidden)]";
    }

    /** Writes a new key pair: {@code java -cp ... io.meshrpc.transport.zmq.CurveKeys <file>}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CurveKeys <key-file>   (writes a new CURVE key pair; prints the public key)");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        if (Files.exists(file)) {
            System.err.println(file + " exists; not overwritten");
            System.exit(1);
        }
        CurveKeys keys = generate();
        keys.write(file);
        System.out.println("public-key=" + keys.publicKey());
    }
}
