package io.meshrpc.internal.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.meshrpc.api.Failures;
import io.meshrpc.api.RemoteException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One remotely callable method of an endpoint bean: maps the wire's JSON arguments to its Java
 * parameters, invokes it, and maps the result back to JSON.
 */
final class EndpointMethod {

    private final Object bean;
    private final Method method;
    private final JavaType[] parameterTypes;
    /**
     * Per parameter, whether it is a {@code String} the mapper reads as the JSON string's text: then a
     * string argument is taken as it is, without a parser over the tree (3 % of a cast's CPU).
     */
    private final boolean[] plainString;
    private final String topic;
    private final String name;

    EndpointMethod(String topic, String name, Object bean, Method method, JsonMapper mapper) {
        this.topic = topic;
        this.name = name;
        this.bean = bean;
        this.method = method;
        this.method.setAccessible(true);
        java.lang.reflect.Type[] generic = method.getGenericParameterTypes();
        this.parameterTypes = new JavaType[generic.length];
        this.plainString = new boolean[generic.length];
        for (int i = 0; i < generic.length; i++) {
            parameterTypes[i] = mapper.constructType(generic[i]);
            // a module could read strings its own way (trimming, interning): then the mapper reads them
            plainString[i] = parameterTypes[i].getRawClass() == String.class && mapper.registeredModules().isEmpty();
        }
    }

    int arity() {
        return parameterTypes.length;
    }

    String name() {
        return name;
    }

    /**
     * Invokes the method. The returned stage completes with the method's result (written to the
     * reply by the codec), or with a {@link HandlerFailure} describing what went wrong.
     */
    CompletionStage<Object> invoke(JsonNode args, JsonMapper mapper) {
        Object[] values;
        try {
            values = arguments(args, mapper);
        } catch (JacksonException | IllegalArgumentException ex) {
            return CompletableFuture.failedFuture(new HandlerFailure(RemoteException.BAD_ARGUMENTS,
                    "Bad arguments for " + topic + "." + name() + ": " + message(ex)));
        }
        Object result;
        try {
            result = method.invoke(bean, values);
        } catch (InvocationTargetException ex) {
            return CompletableFuture.failedFuture(HandlerFailure.of(ex.getCause()));
        } catch (IllegalAccessException ex) {
            return CompletableFuture.failedFuture(HandlerFailure.of(ex));
        }
        if (result instanceof CompletionStage<?> stage) {
            return stage.handle((value, error) -> {
                if (error != null) {
                    throw HandlerFailure.of(Failures.unwrap(error));
                }
                return value;
            });
        }
        return CompletableFuture.completedFuture(result);
    }

    private Object[] arguments(JsonNode args, JsonMapper mapper) {
        int given = args == null ? 0 : args.size();
        if (given != parameterTypes.length) {
            throw new IllegalArgumentException("expected " + parameterTypes.length + " argument(s), got "
                    + given);
        }
        Object[] values = new Object[given];
        for (int i = 0; i < given; i++) {
            JsonNode arg = args.get(i);
            if (plainString[i] && arg.isString()) {
                values[i] = arg.asString();
                continue;
            }
            try {
                values[i] = mapper.treeToValue(arg, parameterTypes[i]);
            } catch (JacksonException ex) {
                throw new IllegalArgumentException("argument " + i + " is not a "
                        + parameterTypes[i].toCanonical() + " (" + ex.getOriginalMessage() + ")", ex);
            }
        }
        return values;
    }


    private static String message(Exception ex) {
        return ex instanceof JacksonException jex ? jex.getOriginalMessage() : ex.getMessage();
    }
}
