package io.meshrpc.consoleauth.rpc;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.RpcMethod;
import io.meshrpc.consoleauth.tokens.TokenStore;
import io.meshrpc.services.compute.ConsoleEndpoint;
import io.meshrpc.services.consoleauth.ConsoleToken;
import io.meshrpc.services.consoleauth.ConsoleauthApi;

/**
 * Version 1.0 of consoleauth, served beside 2.0 ({@link ConsoleauthEndpoint}) from the same tokens,
 * as a service keeps its old major during a rolling upgrade: console proxies of the 1.x line ask
 * {@code check_token} for a yes or no, and get it.
 */
@RpcEndpoint(topic = ConsoleauthApi.TOPIC, version = "1.0")
public class ConsoleauthV1Endpoint {

    private final TokenStore tokens;

    public ConsoleauthV1Endpoint(TokenStore tokens) {
        this.tokens = tokens;
    }

    @RpcMethod(ConsoleauthApi.AUTHORIZE_CONSOLE)
    public ConsoleToken authorizeConsole(ConsoleEndpoint console) {
        ConsoleauthEndpoint.validate(console);
        return tokens.issue(console);
    }

    /** Whether {@code token} was issued here and has not expired: all that 1.x answered. */
    @RpcMethod(ConsoleauthApi.CHECK_TOKEN)
    public boolean checkToken(String token) {
        return tokens.check(token).valid();
    }
}
