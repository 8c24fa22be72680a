package io.meshrpc.matchmaker.service.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.meshrpc.matchmaker.protocol.Member;
import io.meshrpc.matchmaker.protocol.WatchAnswer;
import io.meshrpc.matchmaker.service.MatchmakerApplication;
import io.meshrpc.matchmaker.service.WatchClient;
import io.meshrpc.matchmaker.service.watch.WatchHub;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Two replicas on the local Redis serve the same revisions, and a change written through one wakes a watcher
 * waiting on the other.
 */
@ExtendWith(LocalRedisCondition.class)
class RedisReplicaWatchTest {

    private static String prefix;
    private static ConfigurableApplicationContext a;
    private static ConfigurableApplicationContext b;

    @BeforeAll
    static void startTwoReplicas() {
        if (!LocalRedis.reachable()) {
            return; // every test is skipped by LocalRedisCondition
        }
        prefix = LocalRedis.uniquePrefix();
        a = start();
        b = start();
    }

    @AfterAll
    static void stopAndClean() {
        if (a != null) {
            LocalRedis.deleteKeys(a.getBean(StringRedisTemplate.class), prefix);
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MatchmakerApplication.class)
                .run("--server.port=0", "--spring.jmx.enabled=false",
                        "--meshrpc.matchmaker.store=redis", "--meshrpc.matchmaker.redis.key-prefix=" + prefix,
                        "--meshrpc.matchmaker.sweep-interval=1h",
                        "--spring.data.redis.host=" + LocalRedis.HOST, "--spring.data.redis.port=" + LocalRedis.PORT);
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static RestTestClient client(ConfigurableApplicationContext context) {
        return RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port(context)).build();
    }

    @Test
    void changeWrittenThroughOneReplicaWakesAWatcherOfTheOther() throws Exception {
        WatchClient watchB = new WatchClient(port(b));
        WatchAnswer snapshot = watchB.snapshot("compute");
        CompletableFuture<HttpResponse<String>> waiting = watchB.watch("compute", snapshot.revision(), "5m");
        Awaitility.await().until(() -> b.getBean(WatchHub.class).waiting() == 1);

        String revision = client(a).put().uri("/api/v1/nodes/c1").contentType(MediaType.APPLICATION_JSON)
                .body("{\"topics\":[\"compute\"],\"endpoint\":\"tcp://10.0.0.7:9501\",\"ttlSeconds\":60}")
                .exchange().expectStatus().isCreated().returnResult(String.class).getResponseHeaders()
                .getFirst("X-Meshrpc-Revision");

        WatchAnswer answer = watchB.answer(waiting.get(10, TimeUnit.SECONDS));
        assertThat(answer.revision()).isEqualTo(Long.parseLong(revision)).isEqualTo(snapshot.revision() + 1);
        assertThat(answer.topics().get("compute").set()).extracting(Member::nodeId).containsExactly("c1");
        // both replicas now answer reads at that revision, from the same counter
        for (ConfigurableApplicationContext replica : new ConfigurableApplicationContext[] {a, b}) {
            client(replica).get().uri("/api/v1/topics/compute").exchange().expectStatus().isOk()
                    .expectHeader().valueEquals("X-Meshrpc-Revision", revision);
        }
    }

    @Test
    void heartbeatThroughEitherReplicaRenewsWithoutMovingTheRevision() {
        long before = Long.parseLong(client(a).put().uri("/api/v1/nodes/c2").contentType(MediaType.APPLICATION_JSON)
                .body("{\"topics\":[\"cells\"],\"endpoint\":\"tcp://10.0.0.8:9501\",\"ttlSeconds\":60}")
                .exchange().expectStatus().isCreated().returnResult(String.class).getResponseHeaders()
                .getFirst("X-Meshrpc-Revision"));
        // each replica learns the change from the stream: wait until both reflect it
        Awaitility.await().until(() -> new WatchClient(port(a)).snapshot("cells").revision() == before
                && new WatchClient(port(b)).snapshot("cells").revision() == before);
        client(b).put().uri("/api/v1/nodes/c2/heartbeat").exchange().expectStatus().isNoContent();
        client(a).put().uri("/api/v1/nodes/c2/heartbeat").exchange().expectStatus().isNoContent();
        for (ConfigurableApplicationContext replica : new ConfigurableApplicationContext[] {a, b}) {
            assertThat(new WatchClient(port(replica)).snapshot("cells").revision()).isEqualTo(before);
        }
        client(b).put().uri("/api/v1/nodes/unknown/heartbeat").exchange().expectStatus().isNotFound();
    }
}
