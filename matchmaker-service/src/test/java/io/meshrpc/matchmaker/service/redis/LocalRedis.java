package io.meshrpc.matchmaker.service.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The CI machine's Redis at 127.0.0.1:6379: tests that need it are skipped, with the reason, when it
 * does not answer ({@link LocalRedisCondition}), and write only under a key prefix unique to the run, which they
 * delete afterwards.
 */
final class LocalRedis {

    static final String HOST = "127.0.0.1";
    static final int PORT = 6379;

    private LocalRedis() {
    }

    private static volatile String unreachable;
    private static volatile boolean probed;

    /** Why Redis cannot be used, or {@code null} when it answers PING. Probed once per JVM. */
    static String unreachableReason() {
        if (!probed) {
            unreachable = ping();
            probed = true;
            if (unreachable != null) {
                System.err.println("SKIPPED: " + unreachable);
            }
        }
        return unreachable;
    }

    static boolean reachable() {
        return unreachableReason() == null;
    }

    private static String ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[64];
            int n = in.read(buf);
            String answer = n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
            return answer.startsWith("+PONG") ? null
                    : "Redis at " + HOST + ":" + PORT + " answered '" + answer.trim() + "' to PING: skipping Redis tests";
        } catch (IOException ex) {
            return "Redis not reachable at " + HOST + ":" + PORT + " (" + ex.getMessage() + "): skipping Redis tests";
        }
    }

    /** A key prefix no other run uses. */
    static String uniquePrefix() {
        return "meshrpc-test:" + UUID.randomUUID() + ":";
    }

    static LettuceConnectionFactory connect() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(HOST, PORT));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** Deletes every key under the prefix. */
    static void deleteKeys(StringRedisTemplate redis, String prefix) {
        Set<String> keys = redis.keys(prefix + "*");
        if (keys != null && !keys.isEmpty()) {
            redis.delete(keys);
        }
    }
}
