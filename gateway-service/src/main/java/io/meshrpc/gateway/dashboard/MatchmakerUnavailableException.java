package io.meshrpc.gateway.dashboard;

/** The matchmaker did not answer, answered garbage, or refused the gateway's token: 502. */
public class MatchmakerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MatchmakerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
