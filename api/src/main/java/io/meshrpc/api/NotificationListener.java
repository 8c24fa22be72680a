package io.meshrpc.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

import org.springframework.stereotype.Component;

/**
 * Marks a Spring bean that listens to notifications of {@link #topic()} in the pool {@link #pool()}:
 * every pool gets every event it subscribed to, and one member of a pool (a node with a bean of the
 * same pool) handles each one, as in oslo.messaging's listener pools. The bean has exactly one
 * public method whose first parameter is a {@link Notification}; a second parameter, if any,
 * receives the payload converted to its type.
 *
 * <p>Filters, as oslo's {@code NotificationFilter}: each non-empty one is a regular expression that
 * must match the whole value; an event that a filter rejects is acknowledged and dropped (counted as
 * {@code filtered}).
 */
@Component
@Documented
@Retention(RetentionPolicy.RUNTIME)
@java.lang.annotation.Target(ElementType.TYPE)
public @interface NotificationListener {

    /** The notification topic, {@code notifications} by default. */
    String topic() default Notifier.DEFAULT_TOPIC;

    /** The pool; members of one pool share its events. {@code [a-z0-9_.-]{1,64}}. */
    String pool();

    /** The priorities received; none for all seven. */
    Priority[] priorities() default {};

    /** A regular expression the event type must match, such as {@code compute\\.instance\\..*}. */
    String eventType() default "";

    /** A regular expression the publisher id must match. */
    String publisherId() default "";

    /** Context entries {@code key=regex}: the context value of each key must match its expression. */
    String[] context() default {};
}
