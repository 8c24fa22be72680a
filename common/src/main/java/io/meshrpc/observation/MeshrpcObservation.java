package io.meshrpc.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations meshrpc makes (see {@code docs/tracing.md}): one around every request a node
 * sends, one around every request a node handles. Key values are low cardinality (topic, method,
 * kind, transport); node ids and message ids are high cardinality and go to spans only.
 */
public enum MeshrpcObservation implements ObservationDocumentation {

    /** A cast, fanout or call leaving this node: from encoding until ACKed/confirmed (casts) or answered (calls). */
    SEND {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultMeshrpcSenderObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {LowCardinalityKeys.TOPIC, LowCardinalityKeys.METHOD, LowCardinalityKeys.KIND,
                    LowCardinalityKeys.TRANSPORT};
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeys.values();
        }
    },

    /** A cast or call handled by an endpoint of this node, on a worker thread. */
    HANDLE {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultMeshrpcReceiverObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeys.values();
        }
    };

    /** Observation (and timer) names. */
    public static final String SEND_NAME = "meshrpc.send";
    public static final String HANDLE_NAME = "meshrpc.handle";

    public enum LowCardinalityKeys implements KeyName {
        /** The target topic, e.g. {@code scheduler}. */
        TOPIC {
            @Override
            public String asString() {
                return "meshrpc.topic";
            }
        },
        /** The remote method name. */
        METHOD {
            @Override
            public String asString() {
                return "meshrpc.method";
            }
        },
        /** {@code cast}, {@code fanout} or {@code call}. */
        KIND {
            @Override
            public String asString() {
                return "meshrpc.kind";
            }
        },
        /** {@code zmq}, {@code amqp}, or {@code none} when nothing was delivered (yet). */
        TRANSPORT {
            @Override
            public String asString() {
                return "meshrpc.transport";
            }
        },
        /**
         * {@code meshrpc.handle} only: the simple class name of the exception the endpoint threw
         * (the type that travels in the reply's {@code error}), {@code none} on success.
         */
        ERROR_TYPE {
            @Override
            public String asString() {
                return "meshrpc.error.type";
            }
        }
    }

    public enum HighCardinalityKeys implements KeyName {
        /** The envelope id. */
        MESSAGE_ID {
            @Override
            public String asString() {
                return "meshrpc.message.id";
            }
        },
        /** The node that sent the message (handle) or the addressed node, if any (send). */
        PEER {
            @Override
            public String asString() {
                return "meshrpc.peer";
            }
        }
    }
}
