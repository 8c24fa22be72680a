package io.meshrpc.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and key values of {@link MeshrpcObservation#HANDLE}; implement it to customise them. */
public interface MeshrpcReceiverObservationConvention extends ObservationConvention<MeshrpcReceiverContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof MeshrpcReceiverContext;
    }
}
