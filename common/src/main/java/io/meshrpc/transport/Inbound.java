package io.meshrpc.transport;

/**
 * What a transport hands received messages to: requests to the dispatcher, replies to the client.
 *
 * @param requests CASTs and CALLs, and frames that could not be read
 * @param replies  REPLYs
 */
public record Inbound(RequestHandler requests, ReplyHandler replies) {
}
