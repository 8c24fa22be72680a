package io.meshrpc.scheduler.tracing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny OTLP/HTTP trace receiver (what a collector or Jaeger listens on at :4318): accepts
 * {@code POST /v1/traces} with a protobuf {@code ExportTraceServiceRequest}, answers 200 with an empty
 * {@code ExportTraceServiceResponse}, keeps every request body and reads the spans out of them with a
 * minimal protobuf reader (field numbers of opentelemetry-proto's {@code trace/v1/trace.proto}).
 */
final class OtlpHttpReceiver implements AutoCloseable {

    /** OTLP's {@code Span.SpanKind}. */
    static final int SERVER = 2;
    static final int CLIENT = 3;
    static final int PRODUCER = 4;
    static final int CONSUMER = 5;

    /** One exported span, with the {@code service.name} of the resource it came with. */
    record Span(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
                Map<String, String> attributes) {
    }

    /** One request as received. */
    record Request(String method, String path, String contentType, byte[] body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger otherRequests = new AtomicInteger();

    OtlpHttpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** The URL to give the exporter ({@code management.opentelemetry.tracing.export.otlp.endpoint}). */
    String tracesUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests that were not {@code POST /v1/traces}. */
    int otherRequests() {
        return otherRequests.get();
    }

    /** Every span of every request so far. */
    List<Span> spans() {
        List<Span> out = new ArrayList<>();
        for (Request r : requests) {
            out.addAll(decode(r.body()));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            }
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/traces".equals(path)) {
                otherRequests.incrementAndGet();
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            requests.add(new Request(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    // --- ExportTraceServiceRequest, by field number ---------------------------------------------------------

    static List<Span> decode(byte[] exportTraceServiceRequest) {
        List<Span> out = new ArrayList<>();
        for (Field resourceSpans : Field.all(exportTraceServiceRequest, 1)) {        // resource_spans
            String service = null;
            for (Field resource : Field.all(resourceSpans.bytes(), 1)) {             // resource
                service = attributes(resource.bytes(), 1).get("service.name");      // attributes
            }
            for (Field scopeSpans : Field.all(resourceSpans.bytes(), 2)) {           // scope_spans
                for (Field span : Field.all(scopeSpans.bytes(), 2)) {                // spans
                    byte[] s = span.bytes();
                    out.add(new Span(service, hex(s, 1), hex(s, 2), hex(s, 4),      // trace_id, span_id, parent_span_id
                            Field.first(s, 5).map(Field::string).orElse(null),      // name
                            Field.first(s, 6).map(f -> (int) f.varint()).orElse(0),  // kind
                            attributes(s, 9)));                                     // attributes
                }
            }
        }
        return out;
    }

    /** String values of the {@code KeyValue}s in field {@code number} (other value types as their bytes' length). */
    private static Map<String, String> attributes(byte[] message, int number) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Field kv : Field.all(message, number)) {
            String key = Field.first(kv.bytes(), 1).map(Field::string).orElse("");
            String value = Field.first(kv.bytes(), 2)                               // AnyValue
                    .flatMap(any -> Field.first(any.bytes(), 1)).map(Field::string)  // string_value
                    .orElse(null);
            out.put(key, value);
        }
        return out;
    }

    private static String hex(byte[] message, int number) {
        return Field.first(message, number).map(f -> HexFormat.of().formatHex(f.bytes())).orElse("");
    }

    /** A protobuf field: its number, and its varint or its length-delimited bytes. */
    record Field(int number, int wireType, long varint, byte[] bytes) {

        String string() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        static java.util.Optional<Field> first(byte[] message, int number) {
            return all(message, number).stream().findFirst();
        }

        static List<Field> all(byte[] message, int number) {
            return parse(message).stream().filter(f -> f.number() == number).toList();
        }

        static List<Field> parse(byte[] m) {
            List<Field> fields = new ArrayList<>();
            int[] pos = {0};
            while (pos[0] < m.length) {
                long tag = varint(m, pos);
                int number = (int) (tag >>> 3);
                int wireType = (int) (tag & 7);
                switch (wireType) {
                    case 0 -> fields.add(new Field(number, wireType, varint(m, pos), null));
                    case 1 -> pos[0] += 8;
                    case 5 -> pos[0] += 4;
                    case 2 -> {
                        int length = (int) varint(m, pos);
                        if (length < 0 || pos[0] + length > m.length) {
                            throw new IllegalArgumentException("truncated field " + number);
                        }
                        byte[] b = java.util.Arrays.copyOfRange(m, pos[0], pos[0] + length);
                        pos[0] += length;
                        fields.add(new Field(number, wireType, 0, b));
                    }
                    default -> throw new IllegalArgumentException("wire type " + wireType + " of field " + number);
                }
            }
            return fields;
        }

        private static long varint(byte[] m, int[] pos) {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = m[pos[0]++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }
    }
}
