package io.meshrpc.matchmaker.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.meshrpc.matchmaker.service.ApiTestBase;
import io.meshrpc.matchmaker.service.policy.PolicyScope;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** With {@code meshrpc.matchmaker.token} set, writes need the bearer token; reads stay open. */
@TestPropertySource(properties = "meshrpc.matchmaker.token=s3cret-token")
class TokenTest extends ApiTestBase {

    private static final String NODE = registration(List.of("scheduler"), "tcp://10.0.0.5:9501", 30);

    private RestTestClient.ResponseSpec write(String method, String uri, String body, String authorization) {
        var request = client.method(org.springframework.http.HttpMethod.valueOf(method)).uri(uri);
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return request.exchange();
    }

    private void expectUnauthorized(RestTestClient.ResponseSpec response) {
        response.expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"meshrpc-matchmaker\"")
                .expectBody().jsonPath("$.status").isEqualTo(401).jsonPath("$.detail").isNotEmpty();
    }

    @Test
    void writesWithoutTheRightTokenAre401AndChangeNothing() {
        expectUnauthorized(write("PUT", "/api/v1/nodes/sched1", NODE, null));
        expectUnauthorized(write("PUT", "/api/v1/nodes/sched1", NODE, "Bearer wrong"));
        expectUnauthorized(write("PUT", "/api/v1/nodes/sched1", NODE, "Basic czNjcmV0LXRva2Vu"));
        expectUnauthorized(write("PUT", "/api/v1/nodes/sched1", NODE, "Bearer s3cret-token-and-more"));
        expectUnauthorized(write("PUT", "/api/v1/policies/topics/scheduler", "{\"policy\":\"amqp\"}", null));
        expectUnauthorized(write("PUT", "/api/v1/policies/nodes/sched1", "{\"policy\":\"amqp\"}", "Bearer nope"));
        expectUnauthorized(write("PUT", "/api/v1/ring", "{\"scheduler\":[\"sched9\"]}", null));
        // even an invalid body is refused for the token first: nothing about the request is looked at
        expectUnauthorized(write("PUT", "/api/v1/nodes/sched1", "{not json", null));
        assertThat(nodeStore.all()).isEmpty();
        assertThat(policyStore.all(PolicyScope.TOPIC)).isEmpty();
        assertThat(policyStore.all(PolicyScope.NODE)).isEmpty();

        write("PUT", "/api/v1/nodes/sched1", NODE, "Bearer s3cret-token").expectStatus().isCreated();
        expectUnauthorized(write("DELETE", "/api/v1/nodes/sched1", null, null));
        write("POST", "/api/v1/nodes/sched1", NODE, null).expectStatus().isEqualTo(405) // no such write at all
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(nodeStore.get("sched1")).isPresent();

        write("PUT", "/api/v1/policies/topics/scheduler", "{\"policy\":\"amqp\"}", "bearer s3cret-token")
                .expectStatus().isOk();
        expectUnauthorized(write("DELETE", "/api/v1/policies/topics/scheduler", null, "Bearer "));
        assertThat(policyStore.all(PolicyScope.TOPIC)).containsKey("scheduler");
        write("DELETE", "/api/v1/nodes/sched1", null, "Bearer s3cret-token").expectStatus().isNoContent();
    }

    @Test
    void readsNeedNoToken() {
        write("PUT", "/api/v1/nodes/sched1", NODE, "Bearer s3cret-token").expectStatus().isCreated();
        write("PUT", "/api/v1/policies/nodes/sched1", "{\"policy\":\"zmq\"}", "Bearer s3cret-token")
                .expectStatus().isOk();
        get("/api/v1/nodes").expectStatus().isOk().expectBody().jsonPath("$.count").isEqualTo(1);
        get("/api/v1/nodes/sched1").expectStatus().isOk();
        get("/api/v1/topics").expectStatus().isOk();
        get("/api/v1/topics/scheduler").expectStatus().isOk().expectBody().jsonPath("$.nodes.length()").isEqualTo(1);
        get("/api/v1/policies").expectStatus().isOk();
        get("/api/v1/policies/nodes/sched1").expectStatus().isOk();
        get("/api/v1/ring").expectStatus().isOk();
        get("/actuator/health").expectStatus().isOk();
    }
}
