package io.meshrpc.matchmaker.service.api;

import java.util.List;

import io.meshrpc.matchmaker.service.ApiTestBase;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Policy overrides per topic and per node, and how they show in the fleet view and in lookups. */
class PolicyApiTest extends ApiTestBase {

    @BeforeEach
    void fleet() {
        put("/api/v1/nodes/sched1", registration(List.of("scheduler"), "tcp://10.0.0.5:9501", 30)).expectStatus().isCreated();
        put("/api/v1/nodes/sched2", registration(List.of("scheduler", "consoleauth"), "tcp://10.0.0.6:9501", 30))
                .expectStatus().isCreated();
    }

    @Test
    void topicPolicySetGetDelete() {
        get("/api/v1/policies/topics/scheduler").expectStatus().isNotFound();
        put("/api/v1/policies/topics/scheduler", "{\"policy\":\"zmq-first\"}").expectStatus().isOk().expectBody()
                .json("{\"topic\":\"scheduler\",\"policy\":\"zmq-first\"}");
        get("/api/v1/policies/topics/scheduler").expectStatus().isOk().expectBody()
                .jsonPath("$.policy").isEqualTo("zmq-first");
        put("/api/v1/policies/topics/scheduler", "{\"policy\":\"amqp\"}").expectStatus().isOk();

        get("/api/v1/nodes").expectStatus().isOk().expectBody()
                .jsonPath("$.nodes[0].nodeId").isEqualTo("sched1")
                .jsonPath("$.nodes[0].policy.node").isEmpty()
                .jsonPath("$.nodes[0].policy.topics.scheduler").isEqualTo("amqp")
                .jsonPath("$.nodes[1].policy.topics.scheduler").isEqualTo("amqp")
                .jsonPath("$.nodes[1].policy.topics.consoleauth").doesNotExist();
        get("/api/v1/topics/scheduler").expectBody()
                .jsonPath("$.policy").isEqualTo("amqp")
                .jsonPath("$.nodes[0].policy").isEqualTo("amqp");
        get("/api/v1/topics").expectBody()
                .jsonPath("$.topics[?(@.topic=='scheduler')].policy").isEqualTo(List.of("amqp"));

        delete("/api/v1/policies/topics/scheduler").expectStatus().isNoContent();
        get("/api/v1/policies/topics/scheduler").expectStatus().isNotFound();
        delete("/api/v1/policies/topics/scheduler").expectStatus().isNotFound();
        get("/api/v1/nodes/sched1").expectBody().jsonPath("$.policy.topics").isEmpty();
    }

    @Test
    void nodePolicyWinsOverTopicPolicy() {
        put("/api/v1/policies/topics/scheduler", "{\"policy\":\"amqp\"}").expectStatus().isOk();
        put("/api/v1/policies/nodes/sched2", "{\"policy\":\"zmq\"}").expectStatus().isOk().expectBody()
                .json("{\"nodeId\":\"sched2\",\"policy\":\"zmq\"}");
        get("/api/v1/policies/nodes/sched2").expectStatus().isOk().expectBody().jsonPath("$.policy").isEqualTo("zmq");

        get("/api/v1/nodes/sched2").expectStatus().isOk().expectBody()
                .jsonPath("$.policy.node").isEqualTo("zmq")
                .jsonPath("$.policy.topics.scheduler").isEqualTo("zmq")
                .jsonPath("$.policy.topics.consoleauth").isEqualTo("zmq");
        get("/api/v1/topics/scheduler").expectBody()
                .jsonPath("$.policy").isEqualTo("amqp")
                .jsonPath("$.nodes[0].nodeId").isEqualTo("sched1")
                .jsonPath("$.nodes[0].policy").isEqualTo("amqp")
                .jsonPath("$.nodes[1].nodeId").isEqualTo("sched2")
                .jsonPath("$.nodes[1].policy").isEqualTo("zmq");
        get("/api/v1/policies").expectStatus().isOk().expectBody()
                .json("{\"topics\":{\"scheduler\":\"amqp\"},\"nodes\":{\"sched2\":\"zmq\"}}");

        delete("/api/v1/policies/nodes/sched2").expectStatus().isNoContent();
        get("/api/v1/policies/nodes/sched2").expectStatus().isNotFound();
        get("/api/v1/nodes/sched2").expectBody()
                .jsonPath("$.policy.node").isEmpty()
                .jsonPath("$.policy.topics.scheduler").isEqualTo("amqp");
    }

    @Test
    void aNodePolicyMayPrecedeTheNode() {
        put("/api/v1/policies/nodes/compute-7", "{\"policy\":\"zmq-first\"}").expectStatus().isOk();
        put("/api/v1/nodes/compute-7", registration(List.of("compute"), "tcp://compute-7:9501", 30))
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.policy.node").isEqualTo("zmq-first")
                .jsonPath("$.policy.topics.compute").isEqualTo("zmq-first");
        // and it outlives the node's registration
        delete("/api/v1/nodes/compute-7").expectStatus().isNoContent();
        get("/api/v1/policies/nodes/compute-7").expectStatus().isOk();
    }
}
