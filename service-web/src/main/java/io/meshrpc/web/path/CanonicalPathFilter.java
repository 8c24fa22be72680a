package io.meshrpc.web.path;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.meshrpc.web.RefusalMetrics;
import io.meshrpc.web.problem.Problems;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with 400, a request whose path is not in its one canonical form, so that an id taken from the path is
 * the id the client wrote. Tomcat hands the application a decoded, normalised path: it drops path parameters
 * ({@code /nodes/compute-1;x} becomes {@code /nodes/compute-1}) and resolves dot segments ({@code %2e%2e} too),
 * so a path that names one resource in several spellings reaches the handler as that resource. This filter reads
 * the path as sent ({@link HttpServletRequest#getRequestURI()}) and refuses:
 * <ul>
 * <li>path parameters: any {@code ;};</li>
 * <li>encoded separators and NUL: {@code %2F}, {@code %5C}, {@code %00}, and a raw {@code \};</li>
 * <li>dot segments: a segment {@code .} or {@code ..}, plain or percent-encoded.</li>
 * </ul>
 * Tomcat refuses some of these itself (encoded {@code /}, {@code \}, NUL); its answer is a problem detail too,
 * written by {@code ProblemErrorReportValve}.
 */
public final class CanonicalPathFilter extends OncePerRequestFilter {

    private final RefusalMetrics metrics;

    public CanonicalPathFilter(RefusalMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String problem = problem(request.getRequestURI());
        if (problem != null) {
            metrics.nonCanonicalPath();
            Problems.write(response, HttpServletResponse.SC_BAD_REQUEST, problem, "path", null);
            return;
        }
        chain.doFilter(request, response);
    }

    /** What is wrong with a path as sent (without its query), or {@code null} when it is canonical. */
    static String problem(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return null;
        }
        if (rawPath.indexOf(';') >= 0) {
            return "The path must not have parameters (';')";
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || rawPath.indexOf('\\') >= 0) {
            return "The path must not have an encoded '/', an encoded or plain '\\', or NUL";
        }
        for (String segment : lower.split("/", -1)) {
            String decoded = segment.replace("%2e", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                return "The path must not have '.' or '..' segments";
            }
        }
        return null;
    }
}
