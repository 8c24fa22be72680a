package io.meshrpc.internal.server;

import io.meshrpc.transport.TransportName;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meshrpc.api.Failures;
import io.meshrpc.api.MessageTooLargeException;
import io.meshrpc.api.Ping;
import io.meshrpc.api.RemoteException;
import io.meshrpc.metrics.ReceivedOutcome;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.observation.DefaultMeshrpcReceiverObservationConvention;
import io.meshrpc.observation.MeshrpcObservation;
import io.meshrpc.observation.MeshrpcReceiverContext;
import io.meshrpc.observation.MeshrpcReceiverObservationConvention;
import io.meshrpc.transport.Acceptance;
import io.meshrpc.transport.ReplyChannel;
import io.meshrpc.transport.RequestHandler;
import io.meshrpc.wire.EncodedEnvelope;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.ErrorInfo;
import io.meshrpc.wire.IdGenerator;
import io.meshrpc.wire.Kind;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.JsonNode;

/**
 * Runs received requests on a bounded pool of workers, never on a transport's I/O thread.
 *
 * <p>Accepting is cheap and synchronous (address checks, dedup, a queue offer) so that transports
 * can acknowledge at once; handling is asynchronous. The queue is bounded: when it is full the
 * message is refused and the sender fails over or reports it, instead of a node buffering without
 * limit and stalling (the talk's "compute stops processing queued messages"). The age of the oldest
 * queued message is exposed so a stall is visible before it is an outage.
 */
public final class Dispatcher implements RequestHandler {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final String nodeId;
    private final EndpointRegistry endpoints;
    private final EnvelopeCodec codec;
    private final RpcMetrics metrics;
    private final DedupWindow dedup;
    private final IdGenerator ids;
    private final ThreadPoolExecutor workers;
    private final LinkedBlockingQueue<Runnable> queue;
    private final ObservationRegistry observations;
    private final MeshrpcReceiverObservationConvention convention;
    private final ReplySender replies;
    private final ScheduledExecutorService timer;
    private volatile boolean draining;

    /**
     * @param replies      where finished calls' replies go (sent, counted and failed over there)
     * @param observations where {@link MeshrpcObservation#HANDLE} observations go; {@code NOOP} for none
     * @param convention   a custom convention, or {@code null} for the default one
     * @param timer        sends the heartbeats of monitored calls
     */
    public Dispatcher(String nodeId, EndpointRegistry endpoints, EnvelopeCodec codec, RpcMetrics metrics,
                      DedupWindow dedup, IdGenerator ids, ReplySender replies, int workerThreads,
                      int queueCapacity, ObservationRegistry observations,
                      MeshrpcReceiverObservationConvention convention, ScheduledExecutorService timer) {
        this.replies = replies;
        this.timer = timer;
        this.observations = observations == null ? ObservationRegistry.NOOP : observations;
        this.convention = convention;
        this.nodeId = nodeId;
        this.endpoints = endpoints;
        this.codec = codec;
        this.metrics = metrics;
        this.dedup = dedup;
        this.ids = ids;
        // Bounded like an array queue, but it wakes a parked worker only when it was empty (a woken
        // worker wakes the next while work is left): the I/O thread no longer pays a wake-up per
        // message in a burst (casts +6-8 % in the bench, docs/benchmarks.md).
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(workerThreads, workerThreads, 60, TimeUnit.SECONDS, queue,
                r -> {
                    Thread t = new Thread(r, "meshrpc-worker-" + nodeId + "-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        metrics.gauge(RpcMetrics.DISPATCH_QUEUE_DEPTH, "Messages accepted and waiting for a worker", queue::size);
        metrics.timeGauge(RpcMetrics.DISPATCH_OLDEST_AGE, "Age of the oldest message waiting for a worker",
                () -> oldestQueuedAge().toMillis());
    }

    @Override
    public Acceptance accept(Envelope request, TransportName transport, ReplyChannel replyChannel) {
        String topic = endpoints.serves(request.topic()) ? request.topic() : RpcMetrics.UNKNOWN_TOPIC;
        Acceptance acceptance = tryAccept(request, transport, replyChannel);
        if (acceptance == Acceptance.DUPLICATE) {
            metrics.received(transport, request.kind().name(), topic, ReceivedOutcome.DUPLICATE);
        } else if (!acceptance.acknowledged()) {
            metrics.received(transport, request.kind().name(), topic, ReceivedOutcome.REJECTED);
        }
        return acceptance;
    }

    private Acceptance tryAccept(Envelope request, TransportName transport, ReplyChannel replyChannel) {
        if (draining) {
            return Acceptance.DRAINING;
        }
        if (request.server() != null && !request.server().equals(nodeId)) {
            return Acceptance.WRONG_NODE;
        }
        if (!endpoints.serves(request.topic())) {
            return Acceptance.UNKNOWN_TOPIC;
        }
        if (!dedup.firstSeen(request.id())) {
            return Acceptance.DUPLICATE;
        }
        Task task = new Task(request, transport, replyChannel, System.nanoTime());
        if (request.kind() == Kind.CALL && request.monitor() > 0) {
            task.startHeartbeats(); // before the worker can finish it, which stops them
        }
        try {
            workers.execute(task);
            return Acceptance.ACCEPTED;
        } catch (RejectedExecutionException ex) {
            task.stopHeartbeats();
            dedup.forget(request.id());
            return draining ? Acceptance.DRAINING : Acceptance.OVERLOADED;
        }
    }

    @Override
    public void rejected(TransportName transport, String reason) {
        metrics.received(transport, "unknown", RpcMetrics.UNKNOWN_TOPIC, ReceivedOutcome.REJECTED);
        log.debug("Rejected a frame on {}: {}", transport, reason);
    }

    /** How long the oldest accepted, not yet started message has been waiting. */
    public Duration oldestQueuedAge() {
        Runnable head = queue.peek();
        return head instanceof Task t ? Duration.ofNanos(System.nanoTime() - t.acceptedAt) : Duration.ZERO;
    }

    /** The window of recently accepted ids, shared by every transport. */
    public DedupWindow dedupWindow() {
        return dedup;
    }

    public int queueDepth() {
        return queue.size();
    }

    /** Stops accepting new messages; what is queued still runs. */
    public void stopAccepting() {
        draining = true;
    }

    /** Waits for queued and running messages to finish; returns whether they did in time. */
    public boolean drain(Duration timeout) throws InterruptedException {
        draining = true;
        workers.shutdown();
        return workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops at once; messages still queued are abandoned (they were acknowledged: logged). */
    public void shutdownNow() {
        List<Runnable> left = workers.shutdownNow();
        for (Runnable r : left) {
            if (r instanceof Task task) {
                task.stopHeartbeats(); // abandoned: its caller must stop hearing about it
            }
        }
        int abandoned = left.size();
        if (abandoned > 0) {
            log.warn("Node {} stopped with {} accepted messages not handled", nodeId, abandoned);
        }
    }

    private void handle(Task task) {
        Envelope request = task.request;
        if (request.kind() == Kind.CALL && request.deadline() > 0 && System.currentTimeMillis() > request.deadline()) {
            task.stopHeartbeats();
            metrics.received(task.transport, request.kind().name(), request.topic(), ReceivedOutcome.REJECTED);
            log.debug("Dropped call {} to {}.{}: its deadline passed while queued", request.id(), request.topic(),
                    request.method());
            return;
        }
        if (Ping.METHOD.equals(request.method())) {
            finish(task, nodeId, null); // the receiver answers; no endpoint is involved
            return;
        }
        if (!observations.isNoop()) {
            observedInvoke(task);
            return;
        }
        invoke(task);
    }

    private void invoke(Task task) {
        Envelope request = task.request;
        JsonNode args = request.args();
        int arity = args == null ? 0 : args.size();
        try {
            endpoints.find(request.topic(), request.namespace(), request.version(), request.method(), arity)
                    .invoke(args, codec.mapper())
                    .whenComplete((result, error) -> finish(task, result, error));
        } catch (HandlerFailure failure) {
            finish(task, null, failure);
        }
    }

    /**
     * Runs the endpoint inside a {@code meshrpc.handle} observation whose parent is the trace
     * context the sender put in the envelope's {@code ctx}; its scope is open while the endpoint
     * method runs, so the endpoint's own casts and calls join the trace. The observation stops when
     * the method's result (possibly a future) is complete, before the reply is sent.
     */
    private void observedInvoke(Task task) {
        Observation observation = MeshrpcObservation.HANDLE.observation(convention,
                DefaultMeshrpcReceiverObservationConvention.INSTANCE,
                () -> new MeshrpcReceiverContext(task.request, task.transport.tag()), observations).start();
        Envelope request = task.request;
        JsonNode args = request.args();
        int arity = args == null ? 0 : args.size();
        java.util.concurrent.CompletionStage<Object> result;
        try (Observation.Scope scope = observation.openScope()) {
            result = endpoints.find(request.topic(), request.namespace(), request.version(), request.method(), arity).invoke(args, codec.mapper());
        } catch (HandlerFailure failure) {
            stopHandle(observation, failure);
            finish(task, null, failure);
            return;
        } catch (RuntimeException ex) {
            observation.error(ex);
            observation.stop();
            throw ex;
        }
        // after the scope is closed: a method that returned at once stops here, on this thread
        result.whenComplete((value, error) -> {
            stopHandle(observation, error);
            finish(task, value, error);
        });
    }

    private static void stopHandle(Observation observation, Throwable error) {
        if (error != null) {
            HandlerFailure failure = HandlerFailure.of(Failures.unwrap(error));
            if (observation.getContext() instanceof MeshrpcReceiverContext context) {
                context.errorType(failure.toErrorInfo().type());
            }
            observation.error(failure);
        }
        observation.stop();
    }

    private void finish(Task task, Object result, Throwable error) {
        task.stopHeartbeats();
        Envelope request = task.request;
        ErrorInfo errorInfo = error == null ? null : HandlerFailure.of(Failures.unwrap(error)).toErrorInfo();
        metrics.received(task.transport, request.kind().name(), request.topic(),
                errorInfo == null ? ReceivedOutcome.HANDLED : ReceivedOutcome.ERROR);
        if (errorInfo != null && request.kind() == Kind.CAST) {
            log.warn("Cast {}.{} failed: {}: {}", request.topic(), request.method(), errorInfo.type(),
                    errorInfo.message());
        }
        if (request.kind() == Kind.CALL) {
            sendReply(task, result, errorInfo);
        }
    }

    private void sendReply(Task task, Object result, ErrorInfo error) {
        Envelope reply = Envelope.reply(ids.next(), task.request, null, error, nodeId);
        EncodedEnvelope encoded;
        try {
            encoded = codec.encodeReply(reply, result);
        } catch (MessageTooLargeException ex) {
            encoded = codec.encodeReply(Envelope.reply(reply.id(), task.request, null,
                    new ErrorInfo(RemoteException.BAD_REPLY, "Reply too large: " + ex.getMessage()), nodeId), null);
        } catch (RuntimeException ex) {
            encoded = codec.encodeReply(Envelope.reply(reply.id(), task.request, null,
                    new ErrorInfo(RemoteException.BAD_REPLY, "Reply could not be encoded: " + ex.getMessage()), nodeId),
                    null);
        }
        try {
            replies.send(task.replyChannel, task.transport, task.request.replyTo(), encoded);
        } catch (RuntimeException ex) {
            log.warn("Reply to call {} from {} could not be sent: {}", task.request.id(), task.request.from(),
                    ex.toString());
        }
    }


    /** A queued message and when it was accepted. */
    private final class Task implements Runnable {
        final Envelope request;
        final TransportName transport;
        final ReplyChannel replyChannel;
        final long acceptedAt;

        Task(Envelope request, TransportName transport, ReplyChannel replyChannel, long acceptedAt) {
            this.request = request;
            this.transport = transport;
            this.replyChannel = replyChannel;
            this.acceptedAt = acceptedAt;
        }

        /** Heartbeats of a monitored call, from acceptance (its wait in the queue counts) to its reply. */
        private volatile ScheduledFuture<?> heartbeats;

        void startHeartbeats() {
            long every = request.monitor();
            heartbeats = timer.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        }

        void stopHeartbeats() {
            ScheduledFuture<?> h = heartbeats;
            if (h != null) {
                h.cancel(false);
            }
        }

        private void heartbeat() {
            Envelope beat = Envelope.heartbeat(ids.next(), request, nodeId);
            try {
                replies.send(replyChannel, transport, request.replyTo(), codec.encodeEnvelope(beat));
            } catch (RuntimeException ex) {
                log.debug("Heartbeat for call {} not sent: {}", request.id(), ex.toString());
            }
        }

        @Override
        public void run() {
            try {
                handle(this);
            } catch (RuntimeException ex) {
                stopHeartbeats();
                log.error("Unexpected failure handling {}", request.id(), ex);
            }
        }
    }
}
