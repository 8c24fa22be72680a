package io.meshrpc.internal.routing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meshrpc.internal.server.ReplySender;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.metrics.SentOutcome;
import io.meshrpc.transport.ReplyChannel;
import io.meshrpc.transport.ReplyQueue;
import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.EncodedEnvelope;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.Kind;

/**
 * Sends every reply of this node, counts it here, in one place, and fails it over: back on the path
 * its call came on first; when that path is gone (a caller's ZeroMQ connection dropped after its
 * call was accepted), to the caller's reply queue on the broker, so the caller is not left waiting
 * for its deadline.
 */
public final class ReplyRouter implements ReplySender {

    private static final Logger log = LoggerFactory.getLogger(ReplyRouter.class);

    private final ReplyQueue fallback;
    private final RpcMetrics metrics;

    /** @param fallback the broker's reply queues, or null when this node has no broker */
    public ReplyRouter(ReplyQueue fallback, RpcMetrics metrics) {
        this.fallback = fallback;
        this.metrics = metrics;
    }

    @Override
    public void send(ReplyChannel channel, TransportName via, String caller, EncodedEnvelope encoded) {
        Envelope reply = encoded.header();
        channel.send(encoded).whenComplete((ok, error) -> {
            count(via, reply, error);
            if (error == null) {
                return;
            }
            if (caller != null && fallback != null && fallback.name() != via && fallback.isRunning()) {
                metrics.failover(reply.topic(), "reply-connection-gone");
                fallback.sendReply(caller, encoded).whenComplete((sent, failed) -> {
                    count(fallback.name(), reply, failed);
                    if (failed != null) {
                        notDelivered(caller, reply, failed);
                    }
                });
            } else {
                notDelivered(caller, reply, error);
            }
        });
    }

    private void count(TransportName transport, Envelope reply, Throwable error) {
        metrics.sent(transport, reply.kind(), reply.topic(), error == null ? SentOutcome.OK : SentOutcome.ERROR);
    }

    private static void notDelivered(String caller, Envelope reply, Throwable error) {
        log.warn("Reply to {} for call {} not delivered: {}", caller, reply.correlationId(), error.getMessage());
    }
}
