package io.meshrpc.matchmaker.service.api;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.service.watch.WatchHub;
import io.meshrpc.matchmaker.service.watch.WatchRequest;
import io.meshrpc.matchmaker.service.watch.WatchResponder;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/watch}: the blocking query. A plain asynchronous servlet rather than a Spring MVC handler: a
 * fleet keeps one watch per node waiting, and thousands are answered per second after a change, so an answer is
 * written straight from the hub's thread (no second dispatch through the MVC stack), and no request holds a thread
 * while it waits. Errors are RFC 9457 problems, as everywhere in the API.
 */
public class WatchServlet extends HttpServlet {

    private static final String PROBLEM = "application/problem+json";
    /** Beyond the hub's own timeout (wait + jitter): the container's, a backstop that should never fire. */
    private static final Duration CONTAINER_MARGIN = Duration.ofSeconds(30);

    private final transient WatchHub hub;
    private final transient JsonMapper json;

    public WatchServlet(WatchHub hub, JsonMapper json) {
        this.hub = hub;
        this.json = json;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            write(response, 405, problem(405, "Method not allowed", "A watch is a GET"));
            return;
        }
        WatchRequest watch;
        try {
            watch = WatchQuery.parse(request.getParameter("topics"), request.getParameter("since"),
                    request.getParameter("wait"));
        } catch (InvalidInputException ex) {
            invalid(response, ex.violations());
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(watch.maxWait().plus(watch.maxWait().dividedBy(16)).plus(CONTAINER_MARGIN).toMillis());
        Responder responder = new Responder(async);
        async.addListener(responder);
        if (!hub.watch(watch, responder)) {
            responder.refuse();
        }
    }

    /** The same shape as the rest of the API's input errors: the first field, and every violation. */
    private void invalid(HttpServletResponse response, List<Violation> violations) throws IOException {
        Map<String, Object> body = problem(400, "Invalid input", violations.size() == 1 ? violations.get(0).detail()
                : violations.stream().map(v -> v.field() + ": " + v.detail()).collect(Collectors.joining("; ")));
        body.put("field", violations.get(0).field());
        body.put("errors", violations.stream().map(v -> Map.of("field", v.field(), "detail", v.detail())).toList());
        write(response, 400, body);
    }

    private static Map<String, Object> problem(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>(); // no "type": about:blank, as the rest of the API
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", MatchmakerProtocol.WATCH_PATH);
        return body;
    }

    private void write(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(PROBLEM);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** One exchange held open for its answer; ends it once, whoever comes first. */
    private final class Responder implements WatchResponder, AsyncListener {

        private final AsyncContext async;
        private boolean done;

        Responder(AsyncContext async) {
            this.async = async;
        }

        @Override
        public void answer(byte[] body) {
            end(200, "application/json", body, null);
        }

        @Override
        public void unavailable() {
            end(503, PROBLEM, json.writeValueAsBytes(problem(503, "Service unavailable",
                    "The registry store is unavailable; retry later")), "1");
        }

        void refuse() {
            end(503, PROBLEM, json.writeValueAsBytes(problem(503, "Service unavailable", "This matchmaker holds as "
                    + "many watches as it may (meshrpc.matchmaker.watch.max-watches); retry later or on another "
                    + "replica")), "5");
        }

        private synchronized void end(int status, String type, byte[] body, String retryAfter) {
            if (done) {
                return;
            }
            done = true;
            try {
                HttpServletResponse response = (HttpServletResponse) async.getResponse();
                response.setStatus(status);
                response.setContentType(type);
                if (retryAfter != null) {
                    response.setHeader("Retry-After", retryAfter);
                }
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            } catch (IOException | IllegalStateException gone) {
                // the client left: nothing to tell it
            } finally {
                try {
                    async.complete();
                } catch (IllegalStateException alreadyEnded) {
                    // the container ended the exchange itself
                }
            }
        }

        private synchronized void ended() {
            done = true;
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            hub.abandoned(this);
            unavailable();
        }

        @Override
        public void onError(AsyncEvent event) {
            hub.abandoned(this);
            ended();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            hub.abandoned(this); // after an answer it finds nothing; after the container ended it, it forgets it
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }
    }
}
