package io.meshrpc.observation;

import io.meshrpc.observation.MeshrpcObservation.HighCardinalityKeys;
import io.meshrpc.observation.MeshrpcObservation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;

/** Observation {@code meshrpc.send}, contextual name {@code <topic>.<method> send}. */
public class DefaultMeshrpcSenderObservationConvention implements MeshrpcSenderObservationConvention {

    public static final DefaultMeshrpcSenderObservationConvention INSTANCE =
            new DefaultMeshrpcSenderObservationConvention();

    @Override
    public String getName() {
        return MeshrpcObservation.SEND_NAME;
    }

    @Override
    public String getContextualName(MeshrpcSenderContext context) {
        return context.topic() + "." + context.method() + " send";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(MeshrpcSenderContext context) {
        return KeyValues.of(LowCardinalityKeys.TOPIC.withValue(context.topic()),
                LowCardinalityKeys.METHOD.withValue(context.method()),
                LowCardinalityKeys.KIND.withValue(context.kind()),
                LowCardinalityKeys.TRANSPORT.withValue(context.transport()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(MeshrpcSenderContext context) {
        KeyValues values = KeyValues.of(HighCardinalityKeys.MESSAGE_ID.withValue(context.messageId()));
        return context.server() == null ? values : values.and(HighCardinalityKeys.PEER.withValue(context.server()));
    }
}
