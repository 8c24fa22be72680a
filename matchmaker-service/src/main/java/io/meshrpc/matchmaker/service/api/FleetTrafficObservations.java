package io.meshrpc.matchmaker.service.api;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;

import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Leaves the fleet's own traffic out of per-request observations: every node heartbeats every few seconds and
 * keeps a watch open, so at 20,000 nodes that is thousands of requests a second, and a span and a timer sample
 * for each took a fifth of the service's CPU. They are counted by the registry's and the watch hub's own meters
 * instead. Everything else (registrations, policies, reads) is observed as before.
 */
public final class FleetTrafficObservations implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        if (context instanceof ServerRequestObservationContext request && request.getCarrier() != null) {
            return !isFleetTraffic(request.getCarrier().getRequestURI());
        }
        return true;
    }

    static boolean isFleetTraffic(String uri) {
        return uri != null && (uri.equals(MatchmakerProtocol.WATCH_PATH) || uri.endsWith("/heartbeat"));
    }
}
