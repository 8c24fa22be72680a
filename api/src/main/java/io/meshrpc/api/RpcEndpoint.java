package io.meshrpc.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.stereotype.Component;

/**
 * Marks a Spring bean whose public methods other nodes can call by name on {@link #topic()}.
 *
 * <p>Exposure is by annotation rather than by interface so that one bean is one topic and the
 * list of what a node serves (and registers with the matchmaker) is visible in the code. Methods
 * are looked up by name and argument count; overloads with the same name and count are refused at
 * start-up, because the wire carries names, not Java signatures. A method may return a value, a
 * {@link java.util.concurrent.CompletionStage}, or {@code void}; an exception it throws reaches
 * a caller as a {@link RemoteException} with its type and message.
 *
 * <p>Like {@code @Controller}, it is a Spring stereotype: component scanning picks the class up.
 */
@Component
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RpcEndpoint {

    /** The topic the bean serves, such as {@code scheduler}. */
    String topic();

    /**
     * The namespace of the bean's methods on the topic, as in oslo.messaging; empty for the default
     * one. A call reaches the bean only when its target names this namespace (or none, for the
     * default one).
     */
    String namespace() default "";

    /**
     * The interface version the bean serves, {@code major.minor}; empty for {@code 1.0}. It serves
     * calls that ask for the same major and at most its minor. One node may serve several majors of
     * a topic side by side, each from its own bean; two beans of the same topic, namespace and major
     * are refused at start-up.
     */
    String version() default "";
}
