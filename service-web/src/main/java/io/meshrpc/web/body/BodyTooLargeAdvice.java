package io.meshrpc.web.body;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers 413 when a Spring MVC handler's body ran over its limit while it was read. First among the advices:
 * a service's own catch-all for {@code RuntimeException} (a 500) must not take it.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class BodyTooLargeAdvice {

    @ExceptionHandler(RequestBodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(RequestBodyTooLargeException ex, HttpServletRequest request) {
        HttpStatus status = HttpStatus.CONTENT_TOO_LARGE;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, BodyLimitFilter.detail(ex.limit()));
        problem.setTitle(status.getReasonPhrase());
        problem.setProperty("field", "body");
        return ResponseEntity.status(status).body(problem);
    }
}
