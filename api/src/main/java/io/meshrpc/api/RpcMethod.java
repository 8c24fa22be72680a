package io.meshrpc.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a method of an {@link RpcEndpoint} or {@link RpcInterface} its name on the wire, when that
 * is not the Java name.
 *
 * <p>OpenStack-style services call each other with names like {@code select_destination}; Java
 * code reads better with {@code selectDestination}. The wire carries names, so the annotation
 * lets both sides keep their conventions, and lets a Java node serve peers written in another
 * language.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcMethod {

    /** The method's name on the wire. */
    String value();

    /** The wire name of {@code method}: its {@link RpcMethod} value, or its Java name. */
    final class Names {

        private Names() {
        }

        public static String of(java.lang.reflect.Method method) {
            RpcMethod annotation = method.getAnnotation(RpcMethod.class);
            return annotation == null ? method.getName() : annotation.value();
        }
    }
}
