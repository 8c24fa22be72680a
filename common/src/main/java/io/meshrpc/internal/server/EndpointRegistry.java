package io.meshrpc.internal.server;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.meshrpc.api.RemoteException;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.RpcMethod;
import io.meshrpc.api.Target;
import tools.jackson.databind.json.JsonMapper;

/**
 * The methods this node serves, per topic, found on beans annotated with {@link RpcEndpoint}.
 *
 * <p>Methods are keyed by name and argument count, which is all the wire carries. Ambiguity is
 * refused when the registry is built, so a node never starts with a method it cannot dispatch.
 */
public final class EndpointRegistry {

    private final Map<String, Map<String, Map<Integer, EndpointMethod>>> topics;

    private EndpointRegistry(Map<String, Map<String, Map<Integer, EndpointMethod>>> topics) {
        this.topics = topics;
    }

    /** Builds the registry from endpoint beans; each must carry {@link RpcEndpoint}. */
    public static EndpointRegistry of(List<Object> endpoints, JsonMapper mapper) {
        Map<String, Map<String, Map<Integer, EndpointMethod>>> topics = new HashMap<>();
        for (Object bean : endpoints) {
            Class<?> type = userClass(bean.getClass());
            RpcEndpoint annotation = type.getAnnotation(RpcEndpoint.class);
            if (annotation == null) {
                throw new IllegalArgumentException(type.getName() + " is not annotated with @RpcEndpoint");
            }
            String topic = annotation.topic();
            if (!Target.isValidTopic(topic)) {
                throw new IllegalArgumentException("@RpcEndpoint on " + type.getName() + " has invalid topic '"
                        + topic + "'");
            }
            Map<String, Map<Integer, EndpointMethod>> methods = topics.computeIfAbsent(topic, t -> new HashMap<>());
            for (Method m : type.getMethods()) {
                if (m.getDeclaringClass() == Object.class || Modifier.isStatic(m.getModifiers())
                        || m.isSynthetic() || m.isBridge()) {
                    continue;
                }
                String name = wireName(m, type);
                EndpointMethod em = new EndpointMethod(topic, name, bean, m, mapper);
                EndpointMethod clash = methods.computeIfAbsent(name, n -> new HashMap<>())
                        .putIfAbsent(em.arity(), em);
                if (clash != null) {
                    throw new IllegalArgumentException("Topic '" + topic + "' has two methods named '" + name
                            + "' with " + em.arity() + " parameter(s); the wire cannot tell them apart");
                }
            }
        }
        return new EndpointRegistry(topics);
    }

    /**
     * The name a method is called by: its {@link RpcMethod}, found on the method itself or on the
     * interface method it implements (so an {@link io.meshrpc.api.RpcInterface} shared by client
     * and server names it once), or else its Java name.
     */
    private static String wireName(Method method, Class<?> type) {
        if (method.isAnnotationPresent(RpcMethod.class)) {
            return RpcMethod.Names.of(method);
        }
        for (Class<?> iface : type.getInterfaces()) {
            try {
                Method declared = iface.getMethod(method.getName(), method.getParameterTypes());
                if (declared.isAnnotationPresent(RpcMethod.class)) {
                    return RpcMethod.Names.of(declared);
                }
            } catch (NoSuchMethodException ex) {
                // not from this interface
            }
        }
        return method.getName();
    }

    private static Class<?> userClass(Class<?> type) {
        Class<?> c = type;
        while (c.getName().contains("$$") && c.getSuperclass() != null) {
            c = c.getSuperclass();
        }
        return c;
    }

    /** The topics served, for registration with the matchmaker. */
    public Set<String> topics() {
        return new TreeSet<>(topics.keySet());
    }

    public boolean serves(String topic) {
        return topics.containsKey(topic);
    }

    /**
     * Finds the method to run.
     *
     * @throws HandlerFailure naming the method when there is none with that name or arity
     */
    EndpointMethod find(String topic, String method, int arity) {
        Map<Integer, EndpointMethod> byArity = topics.getOrDefault(topic, Map.of()).get(method);
        if (byArity == null) {
            throw new HandlerFailure(RemoteException.UNKNOWN_METHOD,
                    "Unknown method '" + method + "' on topic '" + topic + "'");
        }
        EndpointMethod m = byArity.get(arity);
        if (m == null) {
            String accepted = byArity.keySet().stream().sorted().map(String::valueOf)
                    .collect(Collectors.joining(" or "));
            throw new HandlerFailure(RemoteException.BAD_ARGUMENTS, "Bad arguments for " + topic + "." + method
                    + ": expected " + accepted + " argument(s), got " + arity);
        }
        return m;
    }
}
