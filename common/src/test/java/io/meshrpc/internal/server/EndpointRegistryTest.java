package io.meshrpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

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

    @Test
    void overloadsWithTheSameArityAreRefusedAtStartup() {
        assertThatThrownBy(() -> EndpointRegistry.of(List.of(new Overloaded()), mapper))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two methods named 'build'");
    }

    @Test
    void overloadsOfDifferentArityAreBothServed() {
        EndpointRegistry registry = EndpointRegistry.of(List.of(new ByArity()), mapper);
        assertThat(registry.find("compute", "build", 1).arity()).isEqualTo(1);
        assertThat(registry.find("compute", "build", 2).arity()).isEqualTo(2);
        assertThat(registry.topics()).containsExactly("compute");
    }

    @Test
    void beansWithoutTheAnnotationAreRefused() {
        assertThatThrownBy(() -> EndpointRegistry.of(List.of(new NotAnnotated()), mapper))
                .hasMessageContaining("@RpcEndpoint");
    }
}
