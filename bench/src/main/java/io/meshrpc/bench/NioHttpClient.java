package io.meshrpc.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small non-blocking HTTP/1.1 client over {@code java.nio}, for simulating thousands of HTTP
 * clients from one JVM: a few selector threads ({@link Loop}s), kept-alive connections, requests
 * pipelined on a connection when asked, and every byte on the wire counted to the request's owner.
 *
 * <p>Everything about a connection happens on its loop's thread: connecting, writing, parsing
 * ({@link HttpResponseParser}), timeouts, the callbacks, and the loop's timers. Other threads hand
 * work to a loop with {@link Loop#execute}. Callbacks must be short: they hold up the loop.
 *
 * <p>Bytes are what HTTP puts on the connection (request and status lines, headers, bodies, chunk
 * framing), counted to {@link Request#owner} through the {@link Meter} as they are written and
 * read; TCP/IP overhead is not included.
 */
final class NioHttpClient implements AutoCloseable {

    /** Receives the bytes written for and read in answer to {@code request} (its {@link Request#owner}). */
    interface Meter {
        void count(Request request, long sent, long received);
    }

    /** The end of a request: {@code answer} when one arrived (any status), else {@code error}. */
    interface Callback {
        void done(Request request, Answer answer, String error);
    }

    /** One request; create it, then hand it to a {@link Conn} or a {@link Pool} on the loop's thread. */
    static final class Request {
        final String method;
        final String target;
        final byte[] body;
        final int owner;
        final long timeoutNanos;
        final Callback callback;
        /** Free for the caller: what kind of request this is, for the {@link Meter}. */
        int tag;
        long submittedAt;
        long sent;
        long received;
        int attempts;
        ByteBuffer wire;

        Request(String method, String target, byte[] body, int owner, long timeoutNanos, Callback callback) {
            this.method = method;
            this.target = target;
            this.body = body;
            this.owner = owner;
            this.timeoutNanos = timeoutNanos;
            this.callback = callback;
        }

        boolean isHead() {
            return method.equals("HEAD");
        }
    }

    /**
     * An answer.
     *
     * @param latencyNanos from handing the request over (to a pool: waiting for a connection included)
     *                     to the answer's last byte
     */
    record Answer(int status, Map<String, String> headers, byte[] body, long latencyNanos) {

        /** A header's value ({@code name} in lower case), or {@code null}. */
        String header(String name) {
            return headers.get(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final InetSocketAddress server;
    private final String hostHeader;
    private final Meter meter;
    private final Loop[] loops;
    final LongAdder connectsOpened = new LongAdder();
    final LongAdder connectsClosedByServer = new LongAdder();

    NioHttpClient(InetSocketAddress server, int loopCount, String name, Meter meter) throws IOException {
        this.server = server;
        this.hostHeader = server.getHostString() + ":" + server.getPort();
        this.meter = meter;
        this.loops = new Loop[loopCount];
        for (int i = 0; i < loopCount; i++) {
            loops[i] = new Loop(i, name + "-" + i);
        }
        for (Loop loop : loops) {
            loop.thread.start();
        }
    }

    Loop loop(int index) {
        return loops[Math.floorMod(index, loops.length)];
    }

    int loops() {
        return loops.length;
    }

    /** Stops every loop and closes every connection (callbacks of unanswered requests are not run). */
    @Override
    public void close() {
        for (Loop loop : loops) {
            loop.running = false;
            loop.selector.wakeup();
        }
        for (Loop loop : loops) {
            try {
                loop.stopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One selector thread with its connections, timers and (optionally shared) pool. */
    final class Loop implements Runnable {

        private record Timer(long at, long seq, Runnable task) {
        }

        final int index;
        private final Thread thread;
        private final Selector selector;
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean wakeupPending = new AtomicBoolean();
        private final PriorityQueue<Timer> timers = new PriorityQueue<>(
                (a, b) -> a.at != b.at ? Long.compare(a.at - b.at, 0) : Long.compare(a.seq, b.seq));
        private long timerSeq;
        private final Set<Conn> busy = new HashSet<>();
        private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile boolean running = true;
        private long nextSweep;
        private volatile Throwable failure;

        Loop(int index, String name) throws IOException {
            this.index = index;
            this.selector = Selector.open();
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        boolean inLoop() {
            return Thread.currentThread() == thread;
        }

        /** Runs {@code task} on this loop's thread, soon; from any thread. */
        void execute(Runnable task) {
            tasks.add(task);
            if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
                selector.wakeup();
            }
        }

        /** Runs {@code task} on this loop's thread at {@code nanoTime} (or as soon after as it can); loop thread only. */
        void at(long nanoTime, Runnable task) {
            timers.add(new Timer(nanoTime, timerSeq++, task));
        }

        /** The first error a task or callback threw, or {@code null}. */
        Throwable failure() {
            return failure;
        }

        /** Opens a connection (pipelining allowed when {@code pool} is {@code null}); loop thread only. */
        Conn open(Pool pool) {
            return new Conn(this, pool);
        }

        @Override
        public void run() {
            try {
                while (running) {
                    long now = System.nanoTime();
                    runTimers(now);
                    runTasks();
                    now = System.nanoTime();
                    if (now - nextSweep >= 0) {
                        sweepTimeouts(now);
                        nextSweep = now + SWEEP_NANOS;
                    }
                    long until = nextSweep;
                    Timer first = timers.peek();
                    if (first != null && first.at - until < 0) {
                        until = first.at;
                    }
                    long waitNanos = until - System.nanoTime();
                    if (!tasks.isEmpty() || waitNanos <= 0) {
                        selector.selectNow();
                    } else {
                        // whole milliseconds, rounded up: a timer due in 0.3 ms waits 1 ms rather than spinning
                        selector.select(Math.max(1, (waitNanos + 999_999) / 1_000_000));
                    }
                    wakeupPending.set(false);
                    Set<SelectionKey> ready = selector.selectedKeys();
                    for (SelectionKey key : ready) {
                        ((Conn) key.attachment()).ready(key);
                    }
                    ready.clear();
                }
            } catch (IOException | RuntimeException | Error ex) {
                // an OutOfMemoryError too: the loop is gone, and fatal() must say why
                failure = ex;
            } finally {
                for (SelectionKey key : selector.keys()) {
                    try {
                        key.channel().close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // closing
                }
                stopped.countDown();
            }
        }

        private void runTimers(long now) {
            Timer timer;
            while ((timer = timers.peek()) != null && timer.at - now <= 0) {
                timers.poll();
                guarded(timer.task);
            }
        }

        private void runTasks() {
            Runnable task;
            int n = 0;
            while (n++ < 10_000 && (task = tasks.poll()) != null) {
                guarded(task);
            }
        }

        private void guarded(Runnable task) {
            try {
                task.run();
            } catch (RuntimeException ex) {
                if (failure == null) {
                    failure = ex;
                }
            }
        }

        private void sweepTimeouts(long now) {
            List<Conn> expired = null;
            for (Conn conn : busy) {
                Request head = conn.unanswered.peek();
                if (head != null && now - head.submittedAt - head.timeoutNanos > 0) {
                    if (expired == null) {
                        expired = new ArrayList<>();
                    }
                    expired.add(conn);
                }
            }
            if (expired != null) {
                for (Conn conn : expired) {
                    conn.fail("no answer within " + TimeUnit.NANOSECONDS.toMillis(conn.unanswered.peek().timeoutNanos)
                            + " ms");
                }
            }
        }
    }

    /**
     * One kept-alive connection. Requests sent on it are written in order and answered in order
     * (pipelined if more than one is outstanding). Closed when the server says {@code Connection:
     * close}, on end of stream, on an error or a timeout: then every unanswered request fails.
     */
    final class Conn {
        final Loop loop;
        final Pool pool;
        private final SocketChannel channel;
        private SelectionKey key;
        private final ArrayDeque<Request> unwritten = new ArrayDeque<>();
        private final ArrayDeque<Request> unanswered = new ArrayDeque<>();
        private final HttpResponseParser parser = new HttpResponseParser();
        private boolean connected;
        private boolean closed;
        private int answered;

        private Conn(Loop loop, Pool pool) {
            this.loop = loop;
            this.pool = pool;
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                connected = ch.connect(server);
                key = ch.register(loop.selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
                connectsOpened.increment();
            } catch (IOException ex) {
                closed = true;
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // failed anyway
                    }
                }
            }
            this.channel = ch;
        }

        boolean closed() {
            return closed;
        }

        /** Requests sent and not answered yet. */
        int outstanding() {
            return unanswered.size();
        }

        /** Answers received on this connection. */
        int answered() {
            return answered;
        }

        /** Sends {@code request} on this connection; its callback runs on the loop's thread. Loop thread only. */
        void send(Request request) {
            if (request.submittedAt == 0) {
                request.submittedAt = System.nanoTime();
            }
            request.attempts++;
            request.sent = 0;
            request.received = 0;
            request.wire = encode(request);
            if (closed) {
                request.callback.done(request, null, "connection could not be opened");
                return;
            }
            unwritten.add(request);
            unanswered.add(request);
            loop.busy.add(this);
            if (connected) {
                write();
            }
        }

        /** Closes the connection; unanswered requests fail with {@code reason}. */
        void close(String reason) {
            fail(reason);
        }

        private ByteBuffer encode(Request r) {
            StringBuilder head = new StringBuilder(128).append(r.method).append(' ').append(r.target)
                    .append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
            if (r.body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(r.body.length).append("\r\n");
            } else if (r.method.equals("PUT") || r.method.equals("POST")) {
                head.append("Content-Length: 0\r\n");
            }
            head.append("\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer wire = ByteBuffer.allocate(h.length + (r.body == null ? 0 : r.body.length));
            wire.put(h);
            if (r.body != null) {
                wire.put(r.body);
            }
            return wire.flip();
        }

        private void ready(SelectionKey k) {
            if (closed || !k.isValid()) {
                return;
            }
            try {
                if (k.isConnectable()) {
                    channel.finishConnect();
                    connected = true;
                    k.interestOps(SelectionKey.OP_READ);
                    write();
                    if (closed) {
                        return;
                    }
                }
                if (k.isValid() && k.isReadable()) {
                    read();
                }
                if (!closed && k.isValid() && k.isWritable()) {
                    write();
                }
            } catch (HttpResponseParser.ProtocolException ex) {
                fail("bad response: " + ex.getMessage());
            } catch (IOException ex) {
                fail(ex.toString());
            } catch (RuntimeException ex) {
                if (loop.failure == null) {
                    loop.failure = ex;
                }
                fail("callback failed: " + ex);
            }
        }

        private void write() {
            try {
                while (!unwritten.isEmpty()) {
                    Request r = unwritten.peek();
                    int n = channel.write(r.wire);
                    if (n > 0) {
                        r.sent += n;
                        meter.count(r, n, 0);
                    }
                    if (r.wire.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                        return;
                    }
                    unwritten.poll();
                    r.wire = null;
                }
                if (key.isValid()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            } catch (IOException ex) {
                fail(ex.toString());
            }
        }

        private void read() throws IOException {
            ByteBuffer buf = loop.readBuffer;
            while (!closed) {
                buf.clear();
                int n = channel.read(buf);
                if (n < 0) {
                    endOfStream();
                    return;
                }
                if (n == 0) {
                    return;
                }
                buf.flip();
                while (buf.hasRemaining() && !closed) {
                    Request r = unanswered.peek();
                    if (r == null) {
                        fail("bytes from the server with no request outstanding");
                        return;
                    }
                    if (!parser.active()) {
                        parser.start(r.isHead());
                    }
                    int before = buf.position();
                    boolean complete = parser.feed(buf);
                    int got = buf.position() - before;
                    r.received += got;
                    meter.count(r, 0, got);
                    if (complete) {
                        complete(r, parser.closeAfter());
                    }
                }
                if (n < buf.capacity()) {
                    return;
                }
            }
        }

        private void endOfStream() {
            Request r = unanswered.peek();
            if (r != null && parser.active() && parser.endOfStream()) {
                complete(r, true);
            }
            if (!closed) {
                connectsClosedByServer.increment();
            }
            fail("connection closed by the server");
        }

        private void complete(Request r, boolean closeAfter) {
            unanswered.poll();
            answered++;
            Answer answer = new Answer(parser.status(), parser.headers(), parser.body(),
                    System.nanoTime() - r.submittedAt);
            parser.release();
            if (closeAfter) {
                connectsClosedByServer.increment();
                fail("connection closed by the server (Connection: close)");
            } else if (unanswered.isEmpty()) {
                loop.busy.remove(this);
            }
            r.callback.done(r, answer, null);
            if (!closed && pool != null && unanswered.isEmpty()) {
                pool.released(this);
            }
        }

        private void fail(String reason) {
            if (closed) {
                return;
            }
            closed = true;
            loop.busy.remove(this);
            if (key != null) {
                key.cancel();
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            List<Request> failed = new ArrayList<>(unanswered);
            unanswered.clear();
            unwritten.clear();
            if (pool != null) {
                pool.closed(this, failed, reason);
            } else {
                for (Request r : failed) {
                    r.callback.done(r, null, reason);
                }
            }
        }
    }

    /**
     * Connections for one-at-a-time requests: an idle one is reused (the most recently used first),
     * else a new one is opened up to {@code max}, else the request waits in order. A request that
     * fails before any byte of its answer arrived, on a connection that had answered before (the
     * server closing an idle keep-alive connection as the request left), is sent once more.
     */
    final class Pool {
        final Loop loop;
        private final int max;
        private final ArrayDeque<Conn> idle = new ArrayDeque<>();
        private final ArrayDeque<Request> waiting = new ArrayDeque<>();
        private int open;
        final LongAdder resent = new LongAdder();

        Pool(Loop loop, int max) {
            this.loop = loop;
            this.max = max;
        }

        /** Sends {@code request} on a pooled connection; loop thread only. */
        void submit(Request request) {
            if (request.submittedAt == 0) {
                request.submittedAt = System.nanoTime();
            }
            Conn conn = idle.pollLast();
            if (conn == null && open < max) {
                conn = loop.open(this);
                if (conn.closed()) {
                    request.callback.done(request, null, "connection could not be opened");
                    return;
                }
                open++;
            }
            if (conn == null) {
                waiting.add(request);
            } else {
                conn.send(request);
            }
        }

        /** Connections open (busy or idle). */
        int open() {
            return open;
        }

        /** Closes the idle connections. */
        void closeIdle() {
            Conn conn;
            while ((conn = idle.pollLast()) != null) {
                conn.close("closed by the client");
            }
        }

        private void released(Conn conn) {
            Request next = waiting.poll();
            if (next != null) {
                conn.send(next);
            } else {
                idle.add(conn);
            }
        }

        private void closed(Conn conn, List<Request> failed, String reason) {
            open--;
            idle.remove(conn);
            for (Request r : failed) {
                if (r.received == 0 && r.attempts < 2 && conn.answered() > 0) {
                    resent.increment();
                    submit(r);
                } else {
                    r.callback.done(r, null, reason);
                }
            }
            while (!waiting.isEmpty() && open < max) {
                Request r = waiting.poll();
                submit(r);
            }
        }
    }
}
