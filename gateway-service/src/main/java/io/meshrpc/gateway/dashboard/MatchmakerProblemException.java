package io.meshrpc.gateway.dashboard;

/**
 * The matchmaker refused a request as the client sent it (400, 404): relayed to the browser with
 * the matchmaker's status, detail and field.
 */
public class MatchmakerProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    public MatchmakerProblemException(int status, String detail, String field) {
        super(detail);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    /** The field the matchmaker named, or {@code null}. */
    public String field() {
        return field;
    }
}
