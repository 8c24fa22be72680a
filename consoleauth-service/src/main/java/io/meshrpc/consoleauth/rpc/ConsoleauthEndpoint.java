package io.meshrpc.consoleauth.rpc;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.consoleauth.tokens.TokenStore;
import io.meshrpc.services.compute.ConsoleEndpoint;
import io.meshrpc.services.consoleauth.ConsoleToken;
import io.meshrpc.services.consoleauth.ConsoleauthApi;
import io.meshrpc.services.consoleauth.TokenCheck;

/** The RPC face of consoleauth (topic {@code consoleauth}), version 2.0; {@link ConsoleauthV1Endpoint} serves 1.0 beside it. */
@RpcEndpoint(topic = ConsoleauthApi.TOPIC, version = ConsoleauthApi.VERSION)
public class ConsoleauthEndpoint implements ConsoleauthApi {

    private final TokenStore tokens;

    public ConsoleauthEndpoint(TokenStore tokens) {
        this.tokens = tokens;
    }

    @Override
    public ConsoleToken authorizeConsole(ConsoleEndpoint console) {
        validate(console);
        return tokens.issue(console);
    }

    @Override
    public TokenCheck checkToken(String token) {
        return tokens.check(token);
    }

    static void validate(ConsoleEndpoint console) {
        if (console == null) {
            throw new IllegalArgumentException("console is required");
        }
        if (console.instanceId() == null || console.instanceId().isBlank()) {
            throw new IllegalArgumentException("console.instanceId is required");
        }
        if (console.host() == null || console.host().isBlank()) {
            throw new IllegalArgumentException("console.host is required");
        }
        if (console.port() < 1 || console.port() > 65535) {
            throw new IllegalArgumentException("console.port must be 1..65535, was " + console.port());
        }
    }
}
