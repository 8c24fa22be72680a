package io.meshrpc.web.problem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;

/**
 * RFC 9457 problem bodies written where no Spring MVC handler runs: in a filter, in Tomcat's error report. The shape
 * is the one Spring's {@code ProblemDetail} has in the services' answers: no {@code type} (that is
 * {@code about:blank}: the status and title say it all), {@code title}, {@code status}, {@code detail}, and
 * {@code field} naming what was refused when that helps the client.
 */
public final class Problems {

    /** The media type of every refusal. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    /** The standard reason phrase of the status ({@code Content Too Large}), or {@code Error} for an unknown one. */
    public static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }

    /** The problem as JSON bytes; {@code field} and {@code instance} are left out when {@code null}. */
    public static byte[] json(int status, String detail, String field, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        if (field != null) {
            body.put("field", field);
        }
        return JsonMapper.shared().writeValueAsBytes(body);
    }

    /**
     * Answers the problem, replacing whatever the response held (it must not be committed). The connection stays
     * as the container decides: Tomcat closes it when it cannot swallow the unread rest of a body.
     */
    public static void write(HttpServletResponse response, int status, String detail, String field, String instance)
            throws IOException {
        byte[] body = json(status, detail, field, instance);
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
