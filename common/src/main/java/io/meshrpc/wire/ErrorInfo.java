package io.meshrpc.wire;

/**
 * The error of a failed call as it travels in a reply: the remote exception's type name (or a
 * {@code meshrpc.*} name) and its message.
 */
public record ErrorInfo(String type, String message) {
}
