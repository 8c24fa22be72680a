package io.meshrpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshrpc.api.RemoteException;
import io.meshrpc.api.RpcEndpoint;
import tools.jackson.databind.json.JsonMapper;

class EndpointRegistryTest {

    private final JsonMapper mapper = JsonMapper.builder().build();

    @RpcEndpoint(topic = "compute")
    static class Overloaded {
        public void build(String a) {
        }

        public void build(int a) {
        }
    }

    @RpcEndpoint(topic = "compute")
    static class ByArity {
        public void build(String a) {
        }

        public void build(String a, int b) {
        }
    }

    static class NotAnnotated {
    }

    @RpcEndpoint(topic = "compute", version = "1.4")
    static class ComputeOne {
        public String build(String a) {
            return "1.4";
        }
    }

    @RpcEndpoint(topic = "compute", version = "2.1")
    static class ComputeTwo {
        public String build(String a) {
            return "2.1";
        }
    }

    @RpcEndpoint(topic = "compute", version = "2.0")
    static class ComputeTwoAgain {
        public void build(String a) {
        }
    }

    @RpcEndpoint(topic = "compute", namespace = "baseapi")
    static class BaseApi {
        public void ping() {
        }
    }

    @RpcEndpoint(topic = "compute")
    static class Reserved {
        @io.meshrpc.api.RpcMethod("meshrpc.ping")
        public String ping() {
            return "mine";
        }
    }

    @RpcEndpoint(topic = "compute", version = "two")
    static class BadVersion {
    }

    private final EndpointRegistry versions = EndpointRegistry.of(
            List.of(new ComputeOne(), new ComputeTwo(), new BaseApi()), mapper);

    /** What the endpoint chosen for a call of {@code version} answers: the version it serves. */
    private Object served(String version) throws Exception {
        return versions.find("compute", null, version, "build", 1)
                .invoke(mapper.createArrayNode().add("x"), mapper).toCompletableFuture().get();
    }

    @Test
    void aRequestIsServedByTheEndpointOfItsMajorWithAtLeastItsMinor() throws Exception {
        assertThat(served("1.2")).isEqualTo("1.4");
        assertThat(served("1.4")).isEqualTo("1.4");
        assertThat(served("2.0")).isEqualTo("2.1");
        assertThat(served("2.1")).isEqualTo("2.1");
    }

    @Test
    void aRequestWithoutAVersionAsksForOnePointZero() throws Exception {
        assertThat(served(null)).isEqualTo("1.4");
        assertThat(versions.find("compute", "baseapi", null, "ping", 0).arity()).isZero();
    }

    @Test
    void aNewerMinorAnotherMajorOrAnotherNamespaceIsRefusedNamingWhatIsServed() {
        assertThatThrownBy(() -> versions.find("compute", null, "2.2", "build", 1))
                .isInstanceOfSatisfying(HandlerFailure.class,
                        f -> assertThat(f.toErrorInfo().type()).isEqualTo(RemoteException.UNSUPPORTED_VERSION))
                .hasMessage("Topic 'compute' does not serve the default namespace at version 2.2; it serves "
                        + "namespace 'baseapi' version 1.0, version 1.4, version 2.1");
        assertThatThrownBy(() -> versions.find("compute", null, "3.0", "build", 1))
                .hasMessageContaining("at version 3.0");
        assertThatThrownBy(() -> versions.find("compute", "admin", null, "build", 1))
                .hasMessageContaining("does not serve namespace 'admin' at version 1.0");
    }

    @Test
    void twoEndpointsOfTheSameTopicNamespaceAndMajorAreRefusedAtStartup() {
        assertThatThrownBy(() -> EndpointRegistry.of(List.of(new ComputeTwo(), new ComputeTwoAgain()), mapper))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two endpoints of version 2.0");
    }

    @Test
    void aMethodNamedLikeMeshrpcsOwnIsRefusedAtStartup() {
        assertThatThrownBy(() -> EndpointRegistry.of(List.of(new Reserved()), mapper))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'meshrpc.' are meshrpc's own");
    }

    @Test
    void anEndpointWithAnUnreadableVersionIsRefusedAtStartup() {
        assertThatThrownBy(() -> EndpointRegistry.of(List.of(new BadVersion()), mapper))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid version 'two'");
    }

    @Test
    void overloadsWithTheSameArityAreRefusedAtStartup() {
        assertThatThrownBy(() -> EndpointRegistry.of(List.of(new Overloaded()), mapper))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two methods named 'build'");
    }

    @Test
    void overloadsOfDifferentArityAreBothServed() {
        EndpointRegistry registry = EndpointRegistry.of(List.of(new ByArity()), mapper);
        assertThat(registry.find("compute", null, null, "build", 1).arity()).isEqualTo(1);
        assertThat(registry.find("compute", null, null, "build", 2).arity()).isEqualTo(2);
        assertThat(registry.topics()).containsExactly("compute");
    }

    @Test
    void beansWithoutTheAnnotationAreRefused() {
        assertThatThrownBy(() -> EndpointRegistry.of(List.of(new NotAnnotated()), mapper))
                .hasMessageContaining("@RpcEndpoint");
    }
}
