package io.meshrpc.matchmaker.service.api;

/** The thing the request names does not exist (or is no longer live): answered 404, naming the field. */
public class NotFoundException extends RuntimeException {

    private final String field;

    public NotFoundException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
