package io.meshrpc.internal.notify;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.meshrpc.api.Notification;
import io.meshrpc.api.NotificationListener;
import io.meshrpc.api.Priority;
import io.meshrpc.api.Target;
import io.meshrpc.internal.server.EndpointRegistry;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One {@link NotificationListener} bean: what it subscribes to (topic, pool, priorities), what it
 * lets through (its filter) and the method that handles an event.
 */
public final class Subscription {

    private final String topic;
    private final String pool;
    private final Set<Priority> priorities;
    private final NotificationFilter filter;
    private final Object bean;
    private final Method method;
    private final JavaType payloadType;

    private Subscription(NotificationListener listener, Object bean, Method method, JavaType payloadType) {
        this.topic = listener.topic();
        this.pool = listener.pool();
        this.priorities = listener.priorities().length == 0 ? EnumSet.allOf(Priority.class)
                : EnumSet.copyOf(List.of(listener.priorities()));
        this.filter = NotificationFilter.of(listener);
        this.bean = bean;
        this.method = method;
        this.method.trySetAccessible(); // a public method of a class that is not public, as endpoints may be
        this.payloadType = payloadType;
    }

    /** Reads the listener beans; a bean that cannot listen is refused at start-up with the reason. */
    public static List<Subscription> of(List<Object> beans, JsonMapper mapper) {
        List<Subscription> all = new ArrayList<>();
        for (Object bean : beans) {
            Class<?> type = EndpointRegistry.userClass(bean.getClass());
            NotificationListener listener = type.getAnnotation(NotificationListener.class);
            if (listener == null) {
                throw new IllegalArgumentException(type.getName() + " is not annotated with @NotificationListener");
            }
            if (!Target.isValidTopic(listener.topic()) || !Target.isValidTopic(listener.pool())) {
                throw new IllegalArgumentException("@NotificationListener on " + type.getName()
                        + ": topic and pool must match [a-z0-9_.-]{1,64}");
            }
            Method handler = handlerOf(type);
            JavaType payload = handler.getParameterCount() == 2
                    ? mapper.constructType(handler.getGenericParameterTypes()[1]) : null;
            all.add(new Subscription(listener, bean, handler, payload));
        }
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                if (all.get(i).topic.equals(all.get(j).topic) && all.get(i).pool.equals(all.get(j).pool)) {
                    throw new IllegalArgumentException("Two @NotificationListener beans of topic '" + all.get(i).topic
                            + "' in pool '" + all.get(i).pool + "': a node is one member of a pool");
                }
            }
        }
        return all;
    }

    private static Method handlerOf(Class<?> type) {
        Method found = null;
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() == Object.class || Modifier.isStatic(m.getModifiers()) || m.isBridge()
                    || m.getParameterCount() < 1 || m.getParameterCount() > 2
                    || m.getParameterTypes()[0] != Notification.class) {
                continue;
            }
            if (found != null) {
                throw new IllegalArgumentException(type.getName() + " has two methods taking a Notification ("
                        + found.getName() + ", " + m.getName() + "); a listener has one");
            }
            found = m;
        }
        if (found == null) {
            throw new IllegalArgumentException(type.getName() + " has no public method whose first parameter is a "
                    + "Notification");
        }
        return found;
    }

    public String topic() {
        return topic;
    }

    public String pool() {
        return pool;
    }

    public Set<Priority> priorities() {
        return priorities;
    }

    boolean accepts(Notification n) {
        return priorities.contains(n.priority()) && filter.matches(n);
    }

    /** Runs the handler; its exception, if any, is the handler's failure. */
    void handle(Notification n, JsonNode payload, JsonMapper mapper) throws Exception {
        try {
            if (payloadType == null) {
                method.invoke(bean, n);
            } else {
                Object value = payload == null || payload.isNull() ? null : mapper.treeToValue(payload, payloadType);
                method.invoke(bean, n, value);
            }
        } catch (InvocationTargetException ex) {
            throw ex.getCause() instanceof Exception cause ? cause : ex;
        }
    }
}
