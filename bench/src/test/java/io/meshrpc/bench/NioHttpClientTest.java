package io.meshrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link NioHttpClient} and {@link HttpResponseParser} against a real local {@link ServerSocket} that answers by script. */
class NioHttpClientTest {

    /** What one connection of the scripted server does with its streams. */
    interface Script {
        void serve(InputStream in, OutputStream out) throws IOException, InterruptedException;
    }

    private ServerSocket server;
    private Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong serverRead = new AtomicLong();
    private final AtomicLong serverWritten = new AtomicLong();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private NioHttpClient client;
    private final AtomicLong meterSent = new AtomicLong();
    private final AtomicLong meterReceived = new AtomicLong();
    private final AtomicLong ownerSeven = new AtomicLong();

    private record Result(NioHttpClient.Request request, NioHttpClient.Answer answer, String error) {
    }

    private final LinkedBlockingQueue<Result> results = new LinkedBlockingQueue<>();

    @AfterEach
    void tearDown() throws IOException, InterruptedException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
            acceptor.join(5_000);
        }
    }

    /** Starts a server whose every connection runs {@code script}; returns the client talking to it. */
    private NioHttpClient serve(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    Thread t = new Thread(() -> {
                        try (socket) {
                            script.serve(counting(socket.getInputStream()), counting(socket.getOutputStream()));
                        } catch (IOException | InterruptedException ignored) {
                            // the test ended the connection
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException ex) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        client = new NioHttpClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 1,
                "test-http", (request, sent, received) -> {
                    meterSent.addAndGet(sent);
                    meterReceived.addAndGet(received);
                    if (request.owner == 7) {
                        ownerSeven.addAndGet(sent + received);
                    }
                });
        return client;
    }

    private InputStream counting(InputStream in) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    serverRead.incrementAndGet();
                }
                return b;
            }
        };
    }

    private OutputStream counting(OutputStream out) {
        return new OutputStream() {
            // counted before the bytes leave: the client may have them before write() returns here

            @Override
            public void write(int b) throws IOException {
                serverWritten.incrementAndGet();
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                serverWritten.addAndGet(len);
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        };
    }

    /** Reads one request (head, and a Content-Length body); {@code null} at end of stream. */
    private String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                int length = 0;
                for (String line : text.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                requests.add(text + body);
                return text + body;
            }
        }
        return null;
    }

    private NioHttpClient.Request request(String method, String target, String body, int owner) {
        return new NioHttpClient.Request(method, target, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                owner, TimeUnit.SECONDS.toNanos(5), (r, a, e) -> results.add(new Result(r, a, e)));
    }

    private Result next() throws InterruptedException {
        Result r = results.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("an answer within 10 s").isNotNull();
        return r;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void contentLengthAnswersOnOneKeptAliveConnection() throws Exception {
        serve((in, out) -> {
            while (readRequest(in) != null) {
                out.write(ascii("HTTP/1.1 200 \r\nX-Meshrpc-Revision: 42\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 15\r\n\r\n{\"revision\":42}"));
                out.flush();
            }
        });
        NioHttpClient.Loop loop = client.loop(0);
        NioHttpClient.Pool[] pool = new NioHttpClient.Pool[1];
        loop.execute(() -> {
            pool[0] = client.new Pool(loop, 4);
            pool[0].submit(request("PUT", "/api/v1/nodes/n1", "{\"topics\":[\"a\"]}", 7));
        });
        Result first = next();
        assertThat(first.error()).isNull();
        assertThat(first.answer().status()).isEqualTo(200);
        assertThat(first.answer().header("x-meshrpc-revision")).isEqualTo("42");
        assertThat(first.answer().text()).isEqualTo("{\"revision\":42}");
        loop.execute(() -> pool[0].submit(request("GET", "/api/v1/watch?topics=a", null, 7)));
        Result second = next();
        assertThat(second.answer().text()).isEqualTo("{\"revision\":42}");
        assertThat(accepted.get()).as("the second request reused the connection").isEqualTo(1);
        assertThat(requests.get(0)).startsWith("PUT /api/v1/nodes/n1 HTTP/1.1\r\nHost: ")
                .contains("Content-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"topics\":[\"a\"]}");
        assertThat(requests.get(1)).startsWith("GET /api/v1/watch?topics=a HTTP/1.1\r\n").doesNotContain("Content-Length");
        // every byte either side put on the wire was counted, and to the request's owner
        long expectedSent = requests.stream().mapToLong(r -> r.getBytes(StandardCharsets.UTF_8).length).sum();
        assertThat(meterSent.get()).isEqualTo(expectedSent).isEqualTo(serverRead.get());
        assertThat(meterReceived.get()).isEqualTo(serverWritten.get());
        assertThat(ownerSeven.get()).isEqualTo(serverRead.get() + serverWritten.get());
        assertThat(first.request().sent + first.request().received + second.request().sent
                + second.request().received).isEqualTo(ownerSeven.get());
    }

    @Test
    void chunkedAnswersArriveWholeEvenInPieces() throws Exception {
        serve((in, out) -> {
            readRequest(in);
            byte[] answer = ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n"
                    + "7\r\n, world\r\n"
                    + "0\r\nX-Trailer: yes\r\n\r\n");
            for (byte b : answer) {   // one byte per TCP segment, as slow as it gets
                out.write(b);
                out.flush();
            }
            readRequest(in);
            out.write(ascii("HTTP/1.1 204 \r\n\r\n"));
            out.flush();
            readRequest(in);
        });
        NioHttpClient.Loop loop = client.loop(0);
        NioHttpClient.Conn[] conn = new NioHttpClient.Conn[1];
        loop.execute(() -> {
            conn[0] = loop.open(null);
            conn[0].send(request("GET", "/slow", null, 1));
        });
        Result chunked = next();
        assertThat(chunked.error()).isNull();
        assertThat(chunked.answer().text()).isEqualTo("hello, world");
        assertThat(chunked.request().received).isEqualTo(serverWritten.get());
        loop.execute(() -> conn[0].send(request("PUT", "/api/v1/nodes/n1/heartbeat", null, 1)));
        Result noContent = next();
        assertThat(noContent.answer().status()).isEqualTo(204);
        assertThat(noContent.answer().body()).isEmpty();
        assertThat(requests.get(1)).contains("PUT /api/v1/nodes/n1/heartbeat HTTP/1.1\r\n")
                .endsWith("Content-Length: 0\r\n\r\n");
    }

    @Test
    void pipelinedAnswersInOneSegmentAreSplitInOrder() throws Exception {
        serve((in, out) -> {
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add(readRequest(in));
            }
            // three answers in one write: the client must cut them apart by their framing
            out.write(ascii("HTTP/1.1 200 \r\nContent-Length: 3\r\n\r\none"
                    + "HTTP/1.1 100 Continue\r\n\r\n"
                    + "HTTP/1.1 201 \r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"
                    + "HTTP/1.1 404 \r\nContent-Type: application/problem+json\r\nContent-Length: 5\r\n\r\nthree"));
            out.flush();
            readRequest(in);
        });
        NioHttpClient.Loop loop = client.loop(0);
        loop.execute(() -> {
            NioHttpClient.Conn conn = loop.open(null);
            conn.send(request("GET", "/1", null, 1));
            conn.send(request("GET", "/2", null, 2));
            conn.send(request("DELETE", "/3", null, 3));
        });
        Result one = next();
        Result two = next();
        Result three = next();
        assertThat(List.of(one.answer().status(), two.answer().status(), three.answer().status()))
                .containsExactly(200, 201, 404);
        assertThat(List.of(one.answer().text(), two.answer().text(), three.answer().text()))
                .containsExactly("one", "two", "three");
        assertThat(List.of(one.request().target, two.request().target, three.request().target))
                .containsExactly("/1", "/2", "/3");
        assertThat(one.request().received + two.request().received + three.request().received)
                .isEqualTo(serverWritten.get());
        assertThat(accepted.get()).isEqualTo(1);
    }

    @Test
    void connectionCloseAndEndOfStreamFrameAndEndTheConnection() throws Exception {
        AtomicInteger connection = new AtomicInteger();
        serve((in, out) -> {
            int c = connection.incrementAndGet();
            readRequest(in);
            if (c == 1) {
                out.write(ascii("HTTP/1.1 200 \r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"));
            } else {
                // no Content-Length, not chunked: the body runs to the end of the connection
                out.write(ascii("HTTP/1.1 200 \r\nContent-Type: text/plain\r\n\r\nuntil the end"));
            }
            out.flush();
        });
        NioHttpClient.Loop loop = client.loop(0);
        NioHttpClient.Pool[] pool = new NioHttpClient.Pool[1];
        loop.execute(() -> {
            pool[0] = client.new Pool(loop, 2);
            pool[0].submit(request("GET", "/a", null, 1));
        });
        assertThat(next().answer().text()).isEqualTo("ok");
        loop.execute(() -> pool[0].submit(request("GET", "/b", null, 1)));
        Result second = next();
        assertThat(second.error()).isNull();
        assertThat(second.answer().text()).isEqualTo("until the end");
        assertThat(accepted.get()).isEqualTo(2);
    }

    @Test
    void aRequestWithoutAnswerTimesOutAndAResetConnectionFails() throws Exception {
        serve((in, out) -> {
            readRequest(in);
            Thread.sleep(3_000);
        });
        NioHttpClient.Loop loop = client.loop(0);
        loop.execute(() -> loop.open(null).send(new NioHttpClient.Request("GET", "/never", null, 1,
                TimeUnit.MILLISECONDS.toNanos(300), (r, a, e) -> results.add(new Result(r, a, e)))));
        Result timedOut = next();
        assertThat(timedOut.answer()).isNull();
        assertThat(timedOut.error()).contains("no answer within 300 ms");
    }

    @Test
    void theParserTakesAnswersByteByByte() throws Exception {
        HttpResponseParser parser = new HttpResponseParser();
        byte[] wire = ascii("HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n"
                + "9\r\n{\"revisio\r\n4\r\nn\":1\r\n1\r\n}\r\n0\r\n\r\n"
                + "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\n{}");
        parser.start(false);
        int completed = 0;
        List<String> bodies = new ArrayList<>();
        for (byte b : wire) {
            ByteBuffer one = ByteBuffer.wrap(new byte[] {b});
            if (parser.feed(one)) {
                completed++;
                bodies.add(new String(parser.body(), StandardCharsets.UTF_8));
                parser.start(false);
            }
        }
        assertThat(completed).isEqualTo(2);
        assertThat(bodies).containsExactly("{\"revision\":1}", "{}");
        parser.start(true);
        ByteBuffer headAnswer = ByteBuffer.wrap(ascii("HTTP/1.1 200 \r\nContent-Length: 99\r\n\r\nX"));
        assertThat(parser.feed(headAnswer)).as("a HEAD answer has no body").isTrue();
        assertThat(headAnswer.remaining()).isEqualTo(1);
    }

    @Test
    void revisionsAreReadFromJsonWithoutParsingIt() {
        byte[] body = ascii("{\"revision\":1796530971000123,\"full\":true,\"topics\":{\"a\":{\"set\":[]}}}");
        assertThat(FleetSimulator.longField(body, "revision")).isEqualTo(1796530971000123L);
        assertThat(FleetSimulator.longField(ascii("{\"x\":1}"), "revision")).isEqualTo(-1);
        assertThat(FleetSimulator.longField(ascii("{ \"revision\" : 7 }"), "revision")).isEqualTo(7);
    }
}
