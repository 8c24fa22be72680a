package io.meshrpc.gateway.errors;

/**
 * One thing wrong with a request.
 *
 * @param field  the JSON field, e.g. {@code vcpus}, or {@code body} for the body as a whole
 * @param detail what is wrong, in a sentence
 */
public record Violation(String field, String detail) {
}
