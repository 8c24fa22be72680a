package io.meshrpc.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and key values of {@link MeshrpcObservation#SEND}; implement it to customise them. */
public interface MeshrpcSenderObservationConvention extends ObservationConvention<MeshrpcSenderContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof MeshrpcSenderContext;
    }
}
