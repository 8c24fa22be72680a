package io.meshrpc.services.consoleauth;

import io.meshrpc.api.RpcInterface;
import io.meshrpc.api.RpcMethod;
import io.meshrpc.services.compute.ConsoleEndpoint;

/**
 * Console authorization (topic {@code consoleauth}): the gateway has a token issued for a console
 * it may open, and the console proxy checks a token before it connects the user, as Nova's
 * consoleauth did.
 */
@RpcInterface(topic = ConsoleauthApi.TOPIC)
public interface ConsoleauthApi {

    String TOPIC = "consoleauth";
    String AUTHORIZE_CONSOLE = "authorize_console";
    String CHECK_TOKEN = "check_token";

    /** Issues a token for the console, valid for the service's TTL. */
    @RpcMethod(AUTHORIZE_CONSOLE)
    ConsoleToken authorizeConsole(ConsoleEndpoint console);

    /** Whether {@code token} is one this service issued and that has not expired. */
    @RpcMethod(CHECK_TOKEN)
    TokenCheck checkToken(String token);
}
