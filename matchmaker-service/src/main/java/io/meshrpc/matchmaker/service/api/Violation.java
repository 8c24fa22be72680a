package io.meshrpc.matchmaker.service.api;

/**
 * One thing wrong with a request.
 *
 * @param field where: a path variable ({@code nodeId}, {@code topic}), a body field ({@code ttlSeconds}), an element
 *        ({@code topics[1]}), or {@code body} for the request body as a whole
 * @param detail what is wrong, for a human
 */
public record Violation(String field, String detail) {
}
