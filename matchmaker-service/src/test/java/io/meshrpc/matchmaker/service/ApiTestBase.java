package io.meshrpc.matchmaker.service;

import java.util.List;

import io.meshrpc.matchmaker.service.policy.PolicyScope;
import io.meshrpc.matchmaker.service.policy.PolicyStore;
import io.meshrpc.matchmaker.service.registry.NodeRecord;
import io.meshrpc.matchmaker.service.registry.NodeStore;
import io.meshrpc.matchmaker.service.registry.StatsStore;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The service on a random port with a hand-moved clock and no background sweep (tests call it). The registry is
 * emptied before each test, as test classes share the Spring context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"meshrpc.matchmaker.sweep-interval=1h", "meshrpc.matchmaker.default-ttl=5s"})
@AutoConfigureRestTestClient
@Import(TestClockConfiguration.class)
public abstract class ApiTestBase {

    @Autowired
    protected RestTestClient client;

    @Autowired
    protected MutableClock clock;

    @Autowired
    protected NodeStore nodeStore;

    @Autowired
    protected PolicyStore policyStore;

    @Autowired
    protected StatsStore statsStore;

    @org.springframework.boot.test.web.server.LocalServerPort
    protected int port;

    @BeforeEach
    protected void emptyRegistry() {
        for (NodeRecord node : List.copyOf(nodeStore.all())) {
            nodeStore.remove(node.nodeId());
            statsStore.remove(node.nodeId());
        }
        for (PolicyScope scope : PolicyScope.values()) {
            policyStore.all(scope).keySet().forEach(key -> policyStore.remove(scope, key));
        }
    }

    /** A registration body: topics, endpoint and TTL; both transports. */
    protected static String registration(List<String> topics, String endpoint, int ttlSeconds) {
        StringBuilder t = new StringBuilder();
        for (String topic : topics) {
            t.append(t.isEmpty() ? "" : ",").append('"').append(topic).append('"');
        }
        return """
                {"topics":[%s],"endpoint":"%s","transports":["zmq","amqp"],"ttlSeconds":%d,"publicKey":null,
                 "stats":{"sent":{"zmq":10,"amqp":2},"received":{"zmq":7,"amqp":0}}}
                """.formatted(t, endpoint, ttlSeconds);
    }

    protected RestTestClient.ResponseSpec put(String uri, String json) {
        return client.put().uri(uri).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
    }

    protected RestTestClient.ResponseSpec get(String uri) {
        return client.get().uri(uri).exchange();
    }

    protected RestTestClient.ResponseSpec delete(String uri) {
        return client.delete().uri(uri).exchange();
    }
}
