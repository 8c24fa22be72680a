package io.meshrpc.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface that {@link RpcClient#proxy(Class)} can implement as a typed client of
 * {@link #topic()}.
 *
 * <p>The same interface is usually implemented by the serving {@link RpcEndpoint} bean, so client
 * and server share one contract and a renamed method breaks the build, not production.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RpcInterface {

    /** The topic the interface's calls go to. */
    String topic();

    /** The endpoint namespace the calls are for; empty for the default one. */
    String namespace() default "";

    /**
     * The interface version the calls ask for, {@code major.minor}; empty for {@code 1.0}. An endpoint
     * of the same major and at least this minor serves them.
     */
    String version() default "";
}
