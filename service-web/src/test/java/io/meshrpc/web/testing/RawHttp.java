package io.meshrpc.web.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 over a plain socket, byte for byte as a hostile client sends it: paths no HTTP client library would send
 * unchanged ({@code ;}, {@code %2F}, {@code ..}), a {@code Content-Length} without the body behind it, a chunked
 * body that never ends.
 */
public final class RawHttp {

    /** The server's answer. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    private static final int TIMEOUT_MILLIS = 30_000;

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    /** Sends the request head (no final blank line needed) and then {@code body}, and reads the answer. */
    public Answer exchange(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        try (Socket socket = open()) {
            OutputStream out = socket.getOutputStream();
            out.write(head(method, target, headers).getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * Sends a chunked body from another thread while this one reads the answer: the server may answer, and stop
     * reading, long before the body ends. The body is {@code prefix} and then {@code unit} again and again, about
     * {@code totalBytes} in all, and never closed: a JSON document that is still legal at any length read.
     */
    public Answer chunked(String method, String target, String prefix, String unit, long totalBytes) throws Exception {
        try (Socket socket = open()) {
            OutputStream out = socket.getOutputStream();
            out.write(head(method, target, Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked"))
                    .getBytes(StandardCharsets.ISO_8859_1));
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> sendChunks(out, prefix, unit, totalBytes));
            Answer answer = read(socket.getInputStream());
            socket.close(); // ends the sender if it still writes
            sender.exceptionally(ignored -> null).join();
            return answer;
        }
    }

    private static void sendChunks(OutputStream out, String prefix, String unit, long totalBytes) {
        byte[] chunk = unit.repeat(64 * 1024 / unit.length()).getBytes(StandardCharsets.UTF_8);
        try {
            writeChunk(out, prefix.getBytes(StandardCharsets.UTF_8));
            for (long sent = 0; sent < totalBytes; sent += chunk.length) {
                writeChunk(out, chunk);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException refused) {
            // the server answered and closed: expected
        }
    }

    private static void writeChunk(OutputStream out, byte[] chunk) throws IOException {
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private Socket open() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    private String head(String method, String target, Map<String, String> headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    private static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new HashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0;
                    size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else {
            body.write(in.readAllBytes());
        }
        return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in the middle of the answer's head: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
