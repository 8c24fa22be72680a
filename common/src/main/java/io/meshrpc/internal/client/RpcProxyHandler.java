package io.meshrpc.internal.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.meshrpc.api.CallOptions;
import io.meshrpc.api.RpcOptions;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcMethod;
import io.meshrpc.api.Target;

/**
 * Turns calls on an {@link io.meshrpc.api.RpcInterface} into RPCs: a {@code void} method is a cast
 * (waiting for the ACK, so delivery errors surface), a {@link CompletionStage} method is an
 * asynchronous call, any other method a blocking call.
 */
final class RpcProxyHandler implements InvocationHandler {

    private final RpcClient client;
    private final Target target;
    /** Each method's {@link RpcOptions}, read once. */
    private final Map<Method, CallOptions> options = new ConcurrentHashMap<>();

    RpcProxyHandler(RpcClient client, Target target) {
        this.client = client;
        this.target = target;
    }

    private CallOptions optionsOf(Method method) {
        return options.computeIfAbsent(method, m -> {
            RpcOptions own = m.getAnnotation(RpcOptions.class);
            return RpcOptions.Reader.of(own != null ? own : m.getDeclaringClass().getAnnotation(RpcOptions.class));
        });
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "toString" -> "RpcProxy[" + target + "]";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException(method.getName());
            };
        }
        Object[] arguments = args == null ? new Object[0] : args;
        Class<?> returnType = method.getReturnType();
        String name = RpcMethod.Names.of(method);
        CallOptions callOptions = optionsOf(method);
        if (returnType == void.class) {
            join(client.cast(target, callOptions, name, arguments));
            return null;
        }
        if (CompletionStage.class.isAssignableFrom(returnType)) {
            return client.invoke(target, callOptions, name, futureValueType(method), arguments);
        }
        CompletableFuture<Object> call = client.invoke(target, callOptions, name, method.getGenericReturnType(),
                arguments);
        return join(call);
    }

    private static Type futureValueType(Method method) {
        Type generic = method.getGenericReturnType();
        if (generic instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[0];
        }
        return Object.class;
    }

    private static Object join(CompletableFuture<?> future) throws Throwable {
        try {
            return future.join();
        } catch (CompletionException ex) {
            throw ex.getCause() == null ? ex : ex.getCause();
        }
    }
}
