package io.meshrpc.observation;

import io.meshrpc.observation.MeshrpcObservation.HighCardinalityKeys;
import io.meshrpc.observation.MeshrpcObservation.LowCardinalityKeys;
import io.meshrpc.wire.Envelope;
import io.micrometer.common.KeyValues;

/** Observation {@code meshrpc.handle}, contextual name {@code <topic>.<method> handle}. */
public class DefaultMeshrpcReceiverObservationConvention implements MeshrpcReceiverObservationConvention {

    public static final DefaultMeshrpcReceiverObservationConvention INSTANCE =
            new DefaultMeshrpcReceiverObservationConvention();

    @Override
    public String getName() {
        return MeshrpcObservation.HANDLE_NAME;
    }

    @Override
    public String getContextualName(MeshrpcReceiverContext context) {
        Envelope e = context.envelope();
        return e.topic() + "." + e.method() + " handle";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(MeshrpcReceiverContext context) {
        Envelope e = context.envelope();
        return KeyValues.of(LowCardinalityKeys.TOPIC.withValue(e.topic()),
                LowCardinalityKeys.METHOD.withValue(e.method()),
                LowCardinalityKeys.KIND.withValue(context.kind()),
                LowCardinalityKeys.TRANSPORT.withValue(context.transport()),
                LowCardinalityKeys.ERROR_TYPE.withValue(simpleName(context.errorType())));
    }

    private static String simpleName(String type) {
        if (type == null) {
            return "none";
        }
        int dot = type.lastIndexOf('.');
        return dot < 0 ? type : type.substring(dot + 1);
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(MeshrpcReceiverContext context) {
        Envelope e = context.envelope();
        KeyValues values = KeyValues.of(HighCardinalityKeys.MESSAGE_ID.withValue(e.id()));
        return e.from() == null ? values : values.and(HighCardinalityKeys.PEER.withValue(e.from()));
    }
}
