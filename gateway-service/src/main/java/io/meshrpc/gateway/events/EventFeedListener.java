package io.meshrpc.gateway.events;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

import io.meshrpc.api.Notification;
import io.meshrpc.api.NotificationListener;
import io.meshrpc.api.Notifier;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's member of the listener pool {@value #POOL}: every event on topic
 * {@value Notifier#DEFAULT_TOPIC} (every priority, no filter) goes into the {@link EventFeed}.
 *
 * <p>Listener pools receive through the broker only, and a node with a listener and no broker does
 * not start: this bean exists only with {@code meshrpc.amqp.enabled=true}. Gateways share the pool,
 * so with several gateways each one's feed holds the events it handled (about an equal share).
 */
@NotificationListener(pool = EventFeedListener.POOL)
@ConditionalOnProperty(name = "meshrpc.amqp.enabled", havingValue = "true")
public class EventFeedListener {

    public static final String POOL = "gateway-feed";

    private final EventFeed feed;

    public EventFeedListener(EventFeed feed) {
        this.feed = feed;
    }

    public void on(Notification notification, JsonNode payload) {
        feed.add(FeedEvent.of(notification, payload));
    }
}
