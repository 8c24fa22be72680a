package io.meshrpc.web.problem;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's error report as an RFC 9457 problem instead of an HTML page. Tomcat answers some requests itself, before
 * any filter or servlet runs: a request line or header over {@code server.max-http-request-header-size}, a
 * malformed request line, an encoded {@code /}, {@code \} or NUL in the path, a path that normalises above the
 * root. Those answers, and any error that left the application without a body, pass here.
 *
 * <p>The detail is Tomcat's message when it has one (it names the rule, never the client's bytes), else a sentence
 * per status; nothing of the request is echoed.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorReportValve.class);

    private final Runnable onReport;

    /**
     * @param onReport called for each problem written (a metric)
     */
    public ProblemErrorReportValve(Runnable onReport) {
        this.onReport = onReport;
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // as the HTML report: only errors, only without a body yet, only once
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        byte[] body = Problems.json(status, detail(status, response.getMessage(), throwable), null, null);
        try {
            response.setContentType(Problems.MEDIA_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentLength(body.length);
            OutputStream out = response.getOutputStream();
            out.write(body);
            response.finishResponse();
            onReport.run();
        } catch (IOException | IllegalStateException ex) {
            log.debug("Could not write the problem of a refused request: {}", ex.toString());
        }
    }

    private static String detail(int status, String message, Throwable throwable) {
        if (message != null && !message.isBlank()) {
            return message;
        }
        if (throwable != null && String.valueOf(throwable.getMessage()).contains("too large")) {
            // Tomcat reads the request line and the headers into one buffer, and cannot tell which filled it
            return "The request line or the headers are larger than this service takes "
                    + "(server.max-http-request-header-size)";
        }
        return switch (status) {
            case 400 -> "The request is malformed: its request line or a header breaks HTTP's rules, or its path "
                    + "has an encoded '/', '\\' or NUL";
            case 404 -> "No such resource";
            case 413 -> "The request body is too large";
            case 414 -> "The URL is too long";
            case 431 -> "The request headers are too large";
            case 505 -> "This HTTP version is not supported";
            default -> Problems.title(status);
        };
    }
}
