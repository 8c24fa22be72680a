package io.meshrpc.gateway.errors;

import io.meshrpc.api.Failures;

/**
 * A call or cast the gateway made to another service failed. Carries which service and method,
 * so the HTTP answer can say "the scheduler did not answer", not just "timeout".
 */
public class UpstreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String service;
    private final String method;

    public UpstreamException(String service, String method, Throwable cause) {
        super(service + "." + method + ": " + Failures.unwrap(cause).getMessage(), Failures.unwrap(cause));
        this.service = service;
        this.method = method;
    }

    public String service() {
        return service;
    }

    public String method() {
        return method;
    }
}
