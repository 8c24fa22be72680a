package io.meshrpc.matchmaker.service.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;

import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Puts the registry's revision on every read under {@code /api/v1}, taken before the handler reads the registry:
 * the answer reflects at least that revision. Writes set the revision of their own change.
 */
final class RevisionHeaderInterceptor implements HandlerInterceptor {

    private final NodeRegistry registry;

    RevisionHeaderInterceptor(NodeRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
            response.setHeader(MatchmakerProtocol.REVISION_HEADER, Long.toString(registry.revision()));
        }
        return true;
    }
}
