package io.meshrpc.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server in front of the matchmaker that forwards every request and keeps a log of them: what the
 * service is asked, as the service sees it. A request is logged when it arrives (a watch waits there for its
 * answer); its status completes when the service answered, 502 when the service could not be reached.
 */
final class RecordingProxy implements AutoCloseable {

    private static final List<String> FORWARDED_HEADERS = List.of("Content-Type", "Authorization");
    private static final List<String> ANSWERED_HEADERS = List.of("Content-Type", "Location", "X-Meshrpc-Revision");

    /**
     * One request as it arrived.
     *
     * @param body   the request body as text, empty for none
     * @param status the service's status, once it answered
     */
    record Request(String method, String path, String query, String body, CompletableFuture<Integer> status) {

        boolean is(String method, String path) {
            return this.method.equals(method) && this.path.equals(path);
        }

        /** The {@code topics} parameter of a watch, as a set. */
        Set<String> watchedTopics() {
            for (String pair : query == null ? new String[0] : query.split("&")) {
                if (pair.startsWith("topics=")) {
                    return new TreeSet<>(Arrays.asList(java.net.URLDecoder.decode(pair.substring(7),
                            StandardCharsets.UTF_8).split(",")));
                }
            }
            return Set.of();
        }

        /** The status, or -1 while the service has not answered. */
        int answered() {
            return status.getNow(-1);
        }
    }

    private final String target;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "recording-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Request> log = new CopyOnWriteArrayList<>();

    private RecordingProxy(String target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads); // a thread per waiting watch
        server.createContext("/", this::forward);
    }

    /** Starts a proxy to the service at {@code target} ({@code http://127.0.0.1:port}). */
    static RecordingProxy to(String target) throws IOException {
        RecordingProxy proxy = new RecordingProxy(target);
        proxy.server.start();
        return proxy;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request so far, in the order they arrived. */
    List<Request> requests() {
        return new ArrayList<>(log);
    }

    /** The watches so far. */
    List<Request> watches() {
        return requests().stream().filter(r -> r.is("GET", "/api/v1/watch")).toList();
    }

    /** The requests so far with this method and path. */
    List<Request> requests(String method, String path) {
        return requests().stream().filter(r -> r.is(method, path)).toList();
    }

    private void forward(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        URI uri = exchange.getRequestURI();
        Request logged = new Request(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(),
                new String(body, StandardCharsets.UTF_8), new CompletableFuture<>());
        log.add(logged);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + uri.getRawPath()
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                .method(logged.method(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofMinutes(6));
        for (String name : FORWARDED_HEADERS) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        int status;
        byte[] answer;
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            status = response.statusCode();
            answer = response.body();
            for (String name : ANSWERED_HEADERS) {
                response.headers().firstValue(name).ifPresent(v -> exchange.getResponseHeaders().set(name, v));
            }
        } catch (IOException ex) {
            status = 502;
            answer = new byte[0];
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            status = 502;
            answer = new byte[0];
        }
        logged.status().complete(status);
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
