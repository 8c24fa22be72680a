package io.meshrpc.services.consoleauth;

import io.meshrpc.api.RpcInterface;
import io.meshrpc.api.RpcMethod;
import io.meshrpc.services.compute.ConsoleEndpoint;

/**
 * Console authorization (topic {@code consoleauth}): the gateway has a token issued for a console
 * it may open, and the console proxy checks a token before it connects the user, as Nova's
 * consoleauth did.
 */
@RpcInterface(topic = ConsoleauthApi.TOPIC, version = ConsoleauthApi.VERSION)
public interface ConsoleauthApi {

    String TOPIC = "consoleauth";
    /**
     * 2.0: {@code check_token} answers a {@link TokenCheck} (the console and the expiry too). The 1.x
     * line answered only whether the token is valid; the service still serves 1.0 beside 2.0, for
     * console proxies not upgraded yet.
     */
    String VERSION = "2.0";
    String AUTHORIZE_CONSOLE = "authorize_console";
    String CHECK_TOKEN = "check_token";

    /** Issues a token for the console, valid for the service's TTL. */
    @RpcMethod(AUTHORIZE_CONSOLE)
    ConsoleToken authorizeConsole(ConsoleEndpoint console);

    /** Whether {@code token} is one this service issued and that has not expired. */
    @RpcMethod(CHECK_TOKEN)
    TokenCheck checkToken(String token);
}
