package io.meshrpc.web.body;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import io.meshrpc.web.RefusalMetrics;
import io.meshrpc.web.problem.Problems;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body before anything parses it. A {@code Content-Length} over the limit is answered 413
 * at once, without reading the body; any other body (chunked, or shorter than it said) is read through a
 * {@link LimitedServletInputStream}, which fails one byte past the limit, and the request is answered 413 then.
 * Checks that need the parsed body (the matchmaker's 16 KiB of stats) thus only ever see bounded input.
 */
public final class BodyLimitFilter extends OncePerRequestFilter {

    private final BodyLimits limits;
    private final RefusalMetrics metrics;

    public BodyLimitFilter(BodyLimits limits, RefusalMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limits.forPath(request.getRequestURI().substring(request.getContextPath().length()));
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            metrics.bodyTooLarge(0);
            refuse(request, response, limit);
            return;
        }
        try {
            chain.doFilter(new LimitedRequest(request, limit, metrics::bodyTooLarge), response);
        } catch (RequestBodyTooLargeException | ServletException | IOException ex) {
            // the handler did not answer the refusal itself (it is not a Spring MVC handler): answer it here
            if (tooLarge(ex) && !response.isCommitted()) {
                refuse(request, response, limit);
            } else {
                throw ex;
            }
        }
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, long limit)
            throws IOException {
        Problems.write(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, detail(limit), "body",
                request.getRequestURI());
    }

    /** What a client is told: the limit, so that it can tell a bug of its own from a limit set too low. */
    public static String detail(long limit) {
        return "The request body is larger than this service takes here: at most " + limit + " bytes";
    }

    private static boolean tooLarge(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof RequestBodyTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /** The request with its body behind the limit, as a stream and as a reader. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private final LimitedServletInputStream.BodyReadListener listener;
        private LimitedServletInputStream body;

        LimitedRequest(HttpServletRequest request, long limit, LimitedServletInputStream.BodyReadListener listener) {
            super(request);
            this.limit = limit;
            this.listener = listener;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                body = new LimitedServletInputStream(super.getInputStream(), limit, listener);
            }
            return body;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }
}
