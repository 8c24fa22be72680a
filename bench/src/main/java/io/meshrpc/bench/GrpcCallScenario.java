package io.meshrpc.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;

/**
 * {@code grpc-call}: the reference peer for meshrpc's call, a gRPC-java unary call over Netty and
 * loopback TCP in one JVM. The client sends 100 bytes that the server echoes, strictly one call at a
 * time; latency is the round trip.
 *
 * <p>No code generation: one {@link MethodDescriptor} of {@code byte[]} both ways, so what is
 * measured is gRPC's transport and call machinery (HTTP/2 framing, headers, deadline), not protobuf.
 * Server and channel keep gRPC's defaults (such as its executor), as a user's would.
 *
 * <p>Sequential because a call's latency, not a pipeline's throughput, is what the call targets
 * compare; msgs/s is then just the inverse of the mean round trip.
 */
final class GrpcCallScenario implements Scenario {

    private static final Duration REPLY_WAIT = Duration.ofSeconds(5);
    private static final String SERVICE = "meshrpc.bench.Echo";

    /** {@code byte[]} as is: the stream is the array, parsing reads every byte. */
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException ex) {
                throw Status.INTERNAL.withDescription("reading a message").withCause(ex).asRuntimeException();
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Call"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    private final byte[] payload = new byte[RawEchoScenario.PAYLOAD_BYTES];
    private Server server;
    private ManagedChannel channel;

    GrpcCallScenario() {
        Arrays.fill(payload, (byte) 'x');
    }

    @Override
    public String name() {
        return "grpc-call";
    }

    @Override
    public void open() throws IOException {
        ServerServiceDefinition echo = ServerServiceDefinition.builder(SERVICE)
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, responses) -> {
                    responses.onNext(request);
                    responses.onCompleted();
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(echo)
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .usePlaintext()
                .build();
        call();
    }

    @Override
    public RunStats run(Duration duration, LatencyRecorder latencies) throws Exception {
        return RoundTrips.sequential(duration, latencies, this::call);
    }

    /** One round trip; throws unless the same number of bytes comes back within {@link #REPLY_WAIT}. */
    private void call() {
        byte[] echo;
        try {
            echo = ClientCalls.blockingUnaryCall(channel, ECHO,
                    CallOptions.DEFAULT.withDeadlineAfter(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS), payload);
        } catch (StatusRuntimeException ex) {
            throw new IllegalStateException("No echo of " + RawEchoScenario.PAYLOAD_BYTES + " bytes within "
                    + REPLY_WAIT.toSeconds() + " s: " + ex.getStatus(), ex);
        }
        if (echo == null || echo.length != RawEchoScenario.PAYLOAD_BYTES) {
            throw new IllegalStateException("No echo of " + RawEchoScenario.PAYLOAD_BYTES + " bytes within "
                    + REPLY_WAIT.toSeconds() + " s");
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.shutdownNow();
        }
        try {
            if (channel != null) {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
            if (server != null) {
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
