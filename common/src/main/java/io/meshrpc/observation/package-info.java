/**
 * Micrometer Observation instrumentation of sending and handling requests; the W3C trace context
 * travels in the envelope's {@code ctx}. See {@code docs/tracing.md}.
 */
package io.meshrpc.observation;
