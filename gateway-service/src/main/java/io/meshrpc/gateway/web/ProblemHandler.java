package io.meshrpc.gateway.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.meshrpc.api.Failures;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.RemoteException;
import io.meshrpc.api.RpcTimeoutException;
import io.meshrpc.gateway.dashboard.MatchmakerProblemException;
import io.meshrpc.gateway.dashboard.MatchmakerUnavailableException;
import io.meshrpc.gateway.dashboard.PolicyChangesDisabledException;
import io.meshrpc.gateway.errors.InvalidRequestException;
import io.meshrpc.gateway.errors.ServerConflictException;
import io.meshrpc.gateway.errors.ServerNotFoundException;
import io.meshrpc.gateway.errors.UpstreamException;
import io.meshrpc.gateway.errors.Violation;
import io.meshrpc.services.compute.InstanceNotFoundException;
import io.meshrpc.services.scheduler.NoValidHostException;
import io.meshrpc.web.json.JsonInputErrors;

/**
 * Every error as RFC 9457 {@code application/problem+json}, with a status that tells the client
 * what to do: 400 fix the request (the {@code field} names what), 404/409 look again, 503 no
 * capacity or no service right now (retry later), 504 a service did not answer in time, 502 a
 * service failed. Errors from other services name the service ({@code service}) and method.
 *
 * <p>It lives apart from the exceptions it answers for ({@code errors}, {@code dashboard}): those
 * packages throw, this one maps, so neither needs to know the other and no package cycle forms.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException ex) {
        return problem(invalidRequest(ex.violations()));
    }

    @ExceptionHandler(ServerNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(ServerNotFoundException ex) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
        p.setTitle("Not found");
        p.setProperty("field", "id");
        return problem(p);
    }

    @ExceptionHandler(ServerConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ServerConflictException ex) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
        p.setTitle("Conflict");
        return problem(p);
    }

    @ExceptionHandler(UpstreamException.class)
    ResponseEntity<ProblemDetail> upstream(UpstreamException ex) {
        ProblemDetail p = upstreamProblem(ex);
        p.setProperty("service", ex.service());
        p.setProperty("method", ex.method());
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(p.getStatus());
        if (p.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            answer.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return answer.body(p);
    }

    /** The matchmaker refused what the dashboard asked for as sent: its status, detail and field. */
    @ExceptionHandler(MatchmakerProblemException.class)
    ResponseEntity<ProblemDetail> matchmakerProblem(MatchmakerProblemException ex) {
        HttpStatus status = HttpStatus.valueOf(ex.status());
        ProblemDetail p = titled(status, status == HttpStatus.NOT_FOUND ? "Not found" : "Invalid request",
                ex.getMessage());
        p.setProperty("service", "matchmaker");
        if (ex.field() != null) {
            p.setProperty("field", ex.field());
        }
        return problem(p);
    }

    /** The matchmaker did not answer, or refused the gateway's token: 502. */
    @ExceptionHandler(MatchmakerUnavailableException.class)
    ResponseEntity<ProblemDetail> matchmakerUnavailable(MatchmakerUnavailableException ex) {
        log.warn("{}", ex.getMessage());
        ProblemDetail p = titled(HttpStatus.BAD_GATEWAY, "Upstream error", ex.getMessage());
        p.setProperty("service", "matchmaker");
        return problem(p);
    }

    @ExceptionHandler(PolicyChangesDisabledException.class)
    ResponseEntity<ProblemDetail> policyChangesDisabled(PolicyChangesDisabledException ex) {
        return problem(titled(HttpStatus.FORBIDDEN, "Forbidden", ex.getMessage()));
    }

    /** A future that failed in a dependent stage: answer for what is inside. */
    @ExceptionHandler(CompletionException.class)
    ResponseEntity<ProblemDetail> completion(CompletionException ex) {
        Throwable cause = Failures.unwrap(ex);
        if (cause instanceof UpstreamException u) {
            return upstream(u);
        }
        if (cause instanceof InvalidRequestException i) {
            return invalid(i);
        }
        if (cause instanceof ServerNotFoundException n) {
            return notFound(n);
        }
        if (cause instanceof ServerConflictException c) {
            return conflict(c);
        }
        return unexpected(cause instanceof RuntimeException r ? r : ex);
    }

    /** Anything else is a bug: 500, with no internals in the answer. */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException ex) {
        log.error("Unexpected error", ex);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "Unexpected error; see the gateway's log");
        p.setTitle("Internal server error");
        return problem(p);
    }

    /**
     * Malformed JSON, a value of the wrong type (types are strict: no {@code "2"} or {@code 2.5} for
     * {@code vcpus}, no {@code 5} for {@code name}), a body beyond a JSON limit, or no body: 400
     * naming the field where the parser knows it.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        JsonInputErrors error = JsonInputErrors.explain(ex);
        Violation violation = new Violation(error.field(), error.detail());
        return new ResponseEntity<>(invalidRequest(List.of(violation)), headers, HttpStatus.BAD_REQUEST);
    }

    private static ProblemDetail upstreamProblem(UpstreamException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof RemoteException remote && NoValidHostException.TYPE.equals(remote.remoteType())) {
            return titled(HttpStatus.SERVICE_UNAVAILABLE, "No valid host", remote.remoteMessage());
        }
        if (cause instanceof RemoteException remote && InstanceNotFoundException.TYPE.equals(remote.remoteType())) {
            return titled(HttpStatus.CONFLICT, "Conflict", remote.remoteMessage());
        }
        if (cause instanceof RemoteException remote) {
            return titled(HttpStatus.BAD_GATEWAY, "Upstream error", "The " + ex.service() + " service failed "
                    + ex.method() + ": " + remote.remoteType() + ": " + remote.remoteMessage());
        }
        if (cause instanceof RpcTimeoutException) {
            return titled(HttpStatus.GATEWAY_TIMEOUT, "Gateway timeout", "The " + ex.service()
                    + " service did not answer " + ex.method() + " in time: " + cause.getMessage());
        }
        if (cause instanceof NoRouteException noRoute) {
            return titled(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", "No " + ex.service()
                    + " node took " + ex.method() + " (" + noRoute.reason() + "): " + noRoute.getMessage());
        }
        return titled(HttpStatus.BAD_GATEWAY, "Upstream error", ex.getMessage());
    }

    private static ProblemDetail titled(HttpStatus status, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        return p;
    }

    private static ProblemDetail invalidRequest(List<Violation> violations) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                violations.size() == 1 ? violations.get(0).detail()
                        : String.join("; ", violations.stream().map(v -> v.field() + ": " + v.detail()).toList()));
        p.setTitle("Invalid request");
        p.setProperty("field", violations.get(0).field());
        p.setProperty("errors", violations.stream().map(v -> Map.of("field", v.field(), "detail", v.detail())).toList());
        return p;
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus()).body(p);
    }
}
