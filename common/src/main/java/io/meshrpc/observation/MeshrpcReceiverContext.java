package io.meshrpc.observation;

import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.Kind;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * The context of a {@link MeshrpcObservation#HANDLE} observation: the received envelope is the
 * carrier, and propagating handlers read {@code traceparent} from its {@code ctx}.
 */
public class MeshrpcReceiverContext extends ReceiverContext<Envelope> {

    private final String transport;
    private volatile String errorType;

    public MeshrpcReceiverContext(Envelope envelope, String transport) {
        super((carrier, key) -> carrier == null ? null : carrier.ctx().get(key),
                envelope.kind() == Kind.CALL ? io.micrometer.observation.transport.Kind.SERVER
                        : io.micrometer.observation.transport.Kind.CONSUMER);
        setCarrier(envelope);
        this.transport = transport;
        setRemoteServiceName(envelope.topic());
    }

    public Envelope envelope() {
        return getCarrier();
    }

    /** {@code cast}, {@code fanout} or {@code call}. */
    public String kind() {
        Envelope e = getCarrier();
        return e.kind() == Kind.CALL ? "call" : e.fanout() ? "fanout" : "cast";
    }

    /** The class name of the endpoint's exception (as in the reply's error type), or {@code null}. */
    public String errorType() {
        return errorType;
    }

    public void errorType(String type) {
        this.errorType = type;
    }

    /** The transport that delivered the message. */
    public String transport() {
        return transport;
    }
}
