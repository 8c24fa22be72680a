package io.meshrpc.matchmaker.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/** One override: {@code {"topic": "scheduler", "policy": "zmq-first"}} or {@code {"nodeId": "n1", "policy": "amqp"}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyOverrideView(String topic, String nodeId, DeliveryPolicy policy) {
}
