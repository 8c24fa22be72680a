package io.meshrpc.bench;

import java.time.Duration;
import java.util.Map;

import io.meshrpc.node.MeshNode;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.IdGenerator;
import io.meshrpc.wire.Kind;

/**
 * {@code envelope-codec} and {@code envelope-codec-binary}: the encoding a {@code zmq-cast} costs and a
 * {@code raw-zmq-cast} does not, in JSON (format 1, the broker) and in the binary encoding of batch
 * frames (format 2). One
 * thread builds the cast envelope the client sends for {@link BenchEndpoint#consume} (a fresh id, the
 * 200-byte payload, the context a node adds), encodes it with the node's default mapper and decodes
 * the frame again, as the sender and the receiver's I/O thread do for every cast; latency is the
 * pair.
 *
 * <p>Not a target, a floor: the wire format (docs/wire-format.md) makes every message one JSON
 * envelope, so this CPU comes on
 * top of what raw JeroMQ spends per message whatever else meshrpc does. Read its CPU µs/msg next to
 * {@code raw-zmq-cast}'s and {@code zmq-cast}'s (docs/benchmarks.md).
 */
final class EnvelopeCodecScenario implements Scenario {

    /** Which encoding the scenario measures. */
    enum Encoding {
        JSON("envelope-codec"),
        BINARY("envelope-codec-binary");

        private final String scenario;

        Encoding(String scenario) {
            this.scenario = scenario;
        }
    }

    private static final Map<String, String> CONTEXT = Map.of("requestId", "req-bench", "caller", "bench-client");

    private final Object[] args = {"x".repeat(RawCastScenario.PAYLOAD_BYTES)};
    private final IdGenerator ids = new IdGenerator();
    private EnvelopeCodec codec;
    private final Encoding encoding;
    private long checksum; // read by nobody: keeps the JIT from dropping the decode

    EnvelopeCodecScenario(Encoding encoding) {
        this.encoding = encoding;
    }

    @Override
    public String name() {
        return encoding.scenario;
    }

    @Override
    public void open() {
        codec = new EnvelopeCodec(MeshNode.defaultMapper(), 1 << 20);
        roundTrip();
    }

    @Override
    public RunStats run(Duration duration, LatencyRecorder latencies) throws Exception {
        return RoundTrips.sequential(duration, latencies, this::roundTrip);
    }

    private void roundTrip() {
        Envelope cast = Envelope.request(ids.next(), Kind.CAST, MeshPair.TARGET.topic(), null, false, "consume",
                null, CONTEXT, null, 0, "bench-client");
        Envelope decoded;
        if (encoding == Encoding.JSON) {
            decoded = codec.decode(codec.encode(cast, args));
        } else {
            byte[] binary = codec.encodeRequest(cast, args).binary();
            decoded = codec.decodeBinary(binary, 0, binary.length);
        }
        checksum += decoded.id().length();
    }

    @Override
    public void close() {
        // nothing held: no sockets, no threads
    }
}
