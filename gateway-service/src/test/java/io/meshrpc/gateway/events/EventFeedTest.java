package io.meshrpc.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.meshrpc.api.Notification;
import io.meshrpc.api.Priority;
import io.meshrpc.services.compute.InstanceStatus;
import io.meshrpc.services.events.CloudEvents;
import io.meshrpc.services.events.SchedulingEvent;
import io.meshrpc.services.gateway.InstanceEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The feed's ring and what an entry keeps of a notification. */
class EventFeedTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

    private static Notification notification(String id, String eventType) {
        return new Notification(id, "notifications", Priority.INFO, eventType, "compute-1", AT, Map.of());
    }

    private static FeedEvent event(String id) {
        return FeedEvent.of(notification(id, CloudEvents.INSTANCE_CREATE_END), null);
    }

    @Test
    void theFeedKeepsTheLatest200NewestFirstAndCountsEveryEventReceived() {
        EventFeed feed = new EventFeed();
        for (int i = 1; i <= 250; i++) {
            feed.add(event("e-" + i));
        }

        List<FeedEvent> all = feed.latest(EventFeed.CAPACITY);

        assertThat(all).hasSize(200);
        assertThat(all.get(0).id()).isEqualTo("e-250");
        assertThat(all.get(199).id()).isEqualTo("e-51");
        assertThat(feed.latest(3)).extracting(FeedEvent::id).containsExactly("e-250", "e-249", "e-248");
        assertThat(feed.received()).isEqualTo(250);
        assertThat(new EventFeed().latest(50)).isEmpty();
    }

    @Test
    void eventsAddedFromManyThreadsAreAllCountedAndTheRingStaysBounded() throws Exception {
        EventFeed feed = new EventFeed();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        feed.add(event(thread + "-" + i));
                        feed.latest(10);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(feed.received()).isEqualTo(4000);
        assertThat(feed.latest(500)).hasSize(200).doesNotContainNull();
    }

    @Test
    void anInstanceEventIsSummarisedByInstanceHostAndStatusAndItsScalarFieldsAreKept() {
        JsonNode payload = JSON.valueToTree(InstanceEvent.of("i-42", "compute-1", InstanceStatus.ACTIVE));

        FeedEvent e = FeedEvent.of(notification("n-1", CloudEvents.INSTANCE_CREATE_END), payload);

        assertThat(e.id()).isEqualTo("n-1");
        assertThat(e.eventType()).isEqualTo("compute.instance.create.end");
        assertThat(e.publisherId()).isEqualTo("compute-1");
        assertThat(e.priority()).isEqualTo("info");
        assertThat(e.timestamp()).isEqualTo(AT);
        assertThat(e.summary()).isEqualTo("instanceId=i-42, host=compute-1, status=ACTIVE");
        assertThat(e.payload().toString())
                .isEqualTo("{\"instanceId\":\"i-42\",\"host\":\"compute-1\",\"status\":\"ACTIVE\",\"retryable\":false}");
    }

    @Test
    void aSchedulingEventIsSummarisedByInstanceIdAndHost() {
        JsonNode payload = JSON.valueToTree(new SchedulingEvent("web-1", "compute-2"));

        FeedEvent e = FeedEvent.of(notification("n-2", CloudEvents.SELECT_DESTINATIONS_END), payload);

        assertThat(e.summary()).isEqualTo("instanceId=web-1, host=compute-2");
    }

    @Test
    void anUnknownPayloadIsSummarisedByAllItsKeptFields() {
        JsonNode payload = JSON.readTree("{\"volume\":\"v-1\",\"sizeGb\":20,\"encrypted\":true}");

        FeedEvent e = FeedEvent.of(notification("n-3", "volume.create.end"), payload);

        assertThat(e.summary()).isEqualTo("volume=v-1, sizeGb=20, encrypted=true");
    }

    @Test
    void aLargePayloadIsCutToAFewShortScalarFields() {
        StringBuilder json = new StringBuilder("{\"nested\":{\"a\":1},\"list\":[1,2],\"none\":null,\"")
                .append("n".repeat(65)).append("\":1,\"long\":\"").append("x".repeat(10_000)).append('"');
        for (int i = 0; i < 50; i++) {
            json.append(",\"f").append(i).append("\":").append(i);
        }
        JsonNode payload = JSON.readTree(json.append('}').toString());

        FeedEvent e = FeedEvent.of(notification("n-4", "x".repeat(1000)), payload);

        assertThat(e.payload().size()).isEqualTo(FeedEvent.MAX_FIELDS);
        assertThat(e.payload().has("nested")).isFalse();
        assertThat(e.payload().has("list")).isFalse();
        assertThat(e.payload().has("none")).isFalse();
        assertThat(e.payload().get("long").asString()).hasSize(FeedEvent.MAX_TEXT).endsWith("…");
        assertThat(e.payload().get("f0").asInt()).isZero();
        assertThat(e.eventType()).hasSize(FeedEvent.MAX_TEXT);
        assertThat(e.summary()).hasSize(FeedEvent.MAX_SUMMARY).startsWith("long=xxx");
    }

    @Test
    void aPayloadThatIsOneValueIsKeptAsValueAndNoneOrAnArrayAsAnEmptyObject() {
        assertThat(FeedEvent.of(notification("n-5", "t"), JSON.readTree("\"hello\"")).payload().toString())
                .isEqualTo("{\"value\":\"hello\"}");
        assertThat(FeedEvent.of(notification("n-6", "t"), JSON.readTree("[1,2]")).payload().toString())
                .isEqualTo("{}");
        FeedEvent none = FeedEvent.of(notification("n-7", "t"), null);
        assertThat(none.payload().toString()).isEqualTo("{}");
        assertThat(none.summary()).isEmpty();
    }
}
