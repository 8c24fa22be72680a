package io.meshrpc.web.problem;

import org.apache.catalina.Container;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;

import io.meshrpc.web.RefusalMetrics;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Puts {@link ProblemErrorReportValve} where Tomcat's HTML error report would be (on the host), and lets the
 * connector take form posts as large as the largest body limit. Runs after Spring Boot's own customizer, which
 * adds a plain {@link ErrorReportValve}: this one replaces it.
 */
public final class ProblemErrorReportCustomizer
        implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final RefusalMetrics metrics;
    private final long largestBody;

    /**
     * @param largestBody the largest body any path accepts, in bytes (a number, not the body limits themselves,
     *                    so that problems do not depend on the filter that uses them)
     */
    public ProblemErrorReportCustomizer(RefusalMetrics metrics, long largestBody) {
        this.metrics = metrics;
        this.largestBody = largestBody;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> replaceErrorReport(context.getParent()));
        // Tomcat parses form bodies itself (request.getParameter), past any filter: give it the same bound
        int formLimit = (int) Math.min(Integer.MAX_VALUE, largestBody);
        factory.addConnectorCustomizers(connector -> {
            connector.setMaxPostSize(formLimit);
            // "Expect: 100-continue" is answered when the application reads the body, not at once: a client whose
            // Content-Length is refused then never sends the body at all
            connector.setProperty("continueResponseTiming", "onRead");
        });
    }

    private void replaceErrorReport(Container host) {
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
            }
        }
        host.getPipeline().addValve(new ProblemErrorReportValve(metrics::refusedByContainer));
        if (host instanceof StandardHost h) {
            // else the host adds Tomcat's HTML report when it starts, not finding a valve of that class
            h.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        }
    }
}
