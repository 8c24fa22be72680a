package io.meshrpc.matchmaker.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Body of {@code PUT /api/v1/policies/...}: {@code {"policy": "zmq" | "amqp" | "zmq-first"}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PolicyRequest(String policy) {
}
