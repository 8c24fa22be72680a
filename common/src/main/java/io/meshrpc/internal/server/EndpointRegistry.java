package io.meshrpc.internal.server;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.meshrpc.api.Ping;
import io.meshrpc.api.RemoteException;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.RpcMethod;
import io.meshrpc.api.Target;
import io.meshrpc.api.Version;
import tools.jackson.databind.json.JsonMapper;

/**
 * The methods this node serves, per topic, found on beans annotated with {@link RpcEndpoint}.
 *
 * <p>A topic holds one or more interfaces: a namespace and a version, each with its methods (the
 * endpoints of oslo.messaging). A request names the namespace and the version it needs; the
 * interface of that namespace with the same major and at least that minor serves it. Methods are
 * keyed by name and argument count, which is all the wire carries. Ambiguity is refused when the
 * registry is built, so a node never starts with a method it cannot dispatch.
 */
public final class EndpointRegistry {

    /** One bean's methods: a namespace ({@code null} for the default one) and a version of a topic. */
    private record Interface(String namespace, Version version, Map<String, Map<Integer, EndpointMethod>> methods) {

        String describe() {
            return (namespace == null ? "" : "namespace '" + namespace + "' ") + "version " + version;
        }
    }

    /** Method names a node answers itself, such as {@link Ping#METHOD}. */
    private static final String RESERVED_PREFIX = "meshrpc.";

    private final Map<String, List<Interface>> topics;

    private EndpointRegistry(Map<String, List<Interface>> topics) {
        this.topics = topics;
    }

    /** Builds the registry from endpoint beans; each must carry {@link RpcEndpoint}. */
    public static EndpointRegistry of(List<Object> endpoints, JsonMapper mapper) {
        Map<String, List<Interface>> topics = new HashMap<>();
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
            Interface declared = declaredInterface(type, annotation);
            List<Interface> served = topics.computeIfAbsent(topic, t -> new ArrayList<>());
            for (Interface other : served) {
                if (Objects.equals(other.namespace(), declared.namespace())
                        && other.version().major() == declared.version().major()) {
                    throw new IllegalArgumentException("Topic '" + topic + "' has two endpoints of "
                            + declared.describe() + " and " + other.describe() + " (" + type.getName()
                            + "): a call could not tell which one serves it; give them different namespaces or majors");
                }
            }
            served.add(declared);
            Map<String, Map<Integer, EndpointMethod>> methods = declared.methods();
            for (Method m : type.getMethods()) {
                if (m.getDeclaringClass() == Object.class || Modifier.isStatic(m.getModifiers())
                        || m.isSynthetic() || m.isBridge()) {
                    continue;
                }
                String name = wireName(m, type);
                if (name.startsWith(RESERVED_PREFIX)) {
                    throw new IllegalArgumentException("Method '" + name + "' of " + type.getName()
                            + ": names starting with '" + RESERVED_PREFIX + "' are meshrpc's own (" + Ping.METHOD + ")");
                }
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

    private static Interface declaredInterface(Class<?> type, RpcEndpoint annotation) {
        String namespace = annotation.namespace().isEmpty() ? null : annotation.namespace();
        if (namespace != null && !Target.isValidTopic(namespace)) {
            throw new IllegalArgumentException("@RpcEndpoint on " + type.getName() + " has invalid namespace '"
                    + namespace + "'");
        }
        Version version;
        try {
            version = annotation.version().isEmpty() ? Version.DEFAULT : Version.parse(annotation.version());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("@RpcEndpoint on " + type.getName() + ": " + ex.getMessage(), ex);
        }
        return new Interface(namespace, version, new HashMap<>());
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

    /** The class a bean was written as, under a Spring CGLIB proxy ({@code Foo$$SpringCGLIB$$0}) if there is one. */
    public static Class<?> userClass(Class<?> type) {
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
     * Finds the method to run for a request of {@code namespace} ({@code null}: the default one) that
     * needs {@code version} ({@code null}: 1.0; already checked to be {@code major.minor}).
     *
     * @throws HandlerFailure naming what was asked when no interface of the topic serves the namespace
     *                        and version, or no method has that name or arity
     */
    EndpointMethod find(String topic, String namespace, String version, String method, int arity) {
        Map<Integer, EndpointMethod> byArity = serving(topic, namespace, version).methods().get(method);
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

    private Interface serving(String topic, String namespace, String version) {
        List<Interface> served = topics.getOrDefault(topic, List.of());
        Version asked = version == null ? Version.DEFAULT : Version.parse(version);
        for (Interface candidate : served) {
            if (Objects.equals(candidate.namespace(), namespace) && candidate.version().serves(asked)) {
                return candidate;
            }
        }
        String what = (namespace == null ? "the default namespace" : "namespace '" + namespace + "'")
                + " at version " + asked;
        String offered = served.stream().map(Interface::describe).sorted().collect(Collectors.joining(", "));
        throw new HandlerFailure(RemoteException.UNSUPPORTED_VERSION, "Topic '" + topic + "' does not serve "
                + what + "; it serves " + (offered.isEmpty() ? "nothing" : offered));
    }
}
