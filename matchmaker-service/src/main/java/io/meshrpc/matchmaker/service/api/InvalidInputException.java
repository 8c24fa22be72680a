package io.meshrpc.matchmaker.service.api;

import java.util.List;
import java.util.stream.Collectors;

/** The request is invalid: answered 400 with every violation. Thrown before anything is stored. */
public class InvalidInputException extends RuntimeException {

    private final List<Violation> violations;

    public InvalidInputException(List<Violation> violations) {
        super(violations.stream().map(v -> v.field() + ": " + v.detail()).collect(Collectors.joining("; ")));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("no violations");
        }
        this.violations = List.copyOf(violations);
    }

    public InvalidInputException(String field, String detail) {
        this(List.of(new Violation(field, detail)));
    }

    public List<Violation> violations() {
        return violations;
    }
}
