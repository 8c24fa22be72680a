package io.meshrpc.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * Per-call overrides for the methods of an {@link RpcInterface} proxy, as {@link RpcClient#prepare}
 * gives them in code: on the interface for every method, on a method for that one (a method's
 * annotation replaces the interface's as a whole). Each element left at its default keeps the node's
 * setting.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RpcOptions {

    /** The call's deadline in milliseconds; 0 for {@code meshrpc.call-timeout}. */
    long timeoutMillis() default 0;

    /** The highest version sent ({@code major.minor}); empty for {@code meshrpc.version-caps.<topic>}. */
    String versionCap() default "";

    /** How many times more a cast that was not delivered is sent again; 0 for none. */
    int castRetries() default 0;

    /** The heartbeat interval of a monitored call in milliseconds; 0 for none. */
    long callMonitorMillis() default 0;

    /** The delivery policy, at most one; none for the target's configured policy. */
    DeliveryPolicy[] policy() default {};

    /** The options these elements stand for. */
    final class Reader {

        private Reader() {
        }

        public static CallOptions of(RpcOptions options) {
            if (options == null) {
                return CallOptions.NONE;
            }
            if (options.policy().length > 1) {
                throw new IllegalArgumentException("@RpcOptions names " + options.policy().length
                        + " policies; at most one");
            }
            return new CallOptions(options.timeoutMillis() == 0 ? null : java.time.Duration.ofMillis(options.timeoutMillis()),
                    options.versionCap().isEmpty() ? null : Version.parse(options.versionCap()),
                    options.castRetries(), options.policy().length == 0 ? null : options.policy()[0],
                    options.callMonitorMillis() == 0 ? null : java.time.Duration.ofMillis(options.callMonitorMillis()));
        }
    }
}
