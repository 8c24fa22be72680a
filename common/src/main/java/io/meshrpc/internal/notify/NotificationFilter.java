package io.meshrpc.internal.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.meshrpc.api.Notification;
import io.meshrpc.api.NotificationListener;

/**
 * oslo.messaging's {@code NotificationFilter}: regular expressions that the event type, the
 * publisher id and context values must match in whole; an absent one matches everything.
 */
record NotificationFilter(Pattern eventType, Pattern publisherId, Map<String, Pattern> context) {

    static NotificationFilter of(NotificationListener listener) {
        Map<String, Pattern> context = new LinkedHashMap<>();
        for (String entry : listener.context()) {
            int eq = entry.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("@NotificationListener context filter '" + entry
                        + "' must be key=regex");
            }
            context.put(entry.substring(0, eq), Pattern.compile(entry.substring(eq + 1)));
        }
        return new NotificationFilter(pattern(listener.eventType()), pattern(listener.publisherId()), Map.copyOf(context));
    }

    boolean matches(Notification n) {
        if (eventType != null && !eventType.matcher(n.eventType()).matches()) {
            return false;
        }
        if (publisherId != null && (n.publisherId() == null || !publisherId.matcher(n.publisherId()).matches())) {
            return false;
        }
        for (Map.Entry<String, Pattern> e : context.entrySet()) {
            String value = n.context().get(e.getKey());
            if (value == null || !e.getValue().matcher(value).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Pattern pattern(String regex) {
        return regex.isEmpty() ? null : Pattern.compile(regex);
    }
}
