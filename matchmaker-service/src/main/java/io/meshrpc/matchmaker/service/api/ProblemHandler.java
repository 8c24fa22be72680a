package io.meshrpc.matchmaker.service.api;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.meshrpc.matchmaker.service.security.UnauthorizedException;
import io.meshrpc.web.json.JsonInputErrors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
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

/**
 * Every error as RFC 9457 {@code application/problem+json}. Input errors name the offending field in a
 * {@code field} property (the first one) and list all of them in {@code errors}; Spring MVC's own errors (405, 415,
 * unknown paths) come out as problem details too.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidInputException ex) {
        return ResponseEntity.badRequest().body(invalidInput(ex.violations()));
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
        problem.setTitle("Not found");
        problem.setProperty("field", ex.field());
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }

    @ExceptionHandler(UnauthorizedException.class)
    ResponseEntity<ProblemDetail> unauthorized(UnauthorizedException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, ex.getMessage());
        problem.setTitle("Unauthorized");
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"meshrpc-matchmaker\"")
                .body(problem);
    }

    /** The store (Redis) does not answer: 503, the client retries; nothing was written or the write was atomic. */
    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(DataAccessException ex) {
        log.warn("Registry store unavailable: {}", ex.toString());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The registry store is unavailable; retry later");
        problem.setTitle("Service unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
    }

    /** Anything else is a bug: 500, as a problem too, with no internals in the answer. */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException ex) {
        log.error("Unexpected error", ex);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "Unexpected error; see the matchmaker's log");
        problem.setTitle("Internal server error");
        return ResponseEntity.internalServerError().body(problem);
    }

    /**
     * Malformed JSON, a value of the wrong type (types are strict: no {@code "30"} for a number, no {@code 1.5} for
     * an integer, no {@code 1} for a string), a body beyond a JSON limit, or no body: 400 naming the field where
     * the parser knows it.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        JsonInputErrors error = JsonInputErrors.explain(ex);
        Violation violation = new Violation(error.field(), error.detail());
        return new ResponseEntity<>(invalidInput(List.of(violation)), headers, HttpStatus.BAD_REQUEST);
    }

    private static ProblemDetail invalidInput(List<Violation> violations) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                violations.size() == 1 ? violations.get(0).detail()
                        : violations.stream().map(v -> v.field() + ": " + v.detail())
                                .collect(Collectors.joining("; ")));
        problem.setTitle("Invalid input");
        problem.setProperty("field", violations.get(0).field());
        problem.setProperty("errors", violations.stream()
                .map(v -> Map.of("field", v.field(), "detail", v.detail())).toList());
        return problem;
    }
}
