package io.meshrpc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The broker transport is an optional dependency: a node that does not enable it runs without
 * Spring AMQP and the RabbitMQ client on its class path. Checked for real, in a class loader built
 * from this test's class path minus those jars (not the application class loader, where they are).
 */
class WithoutBrokerClassesTest {

    private static final List<String> BROKER_JARS = List.of("spring-rabbit", "spring-amqp", "amqp-client",
            "spring-boot-amqp", "qpid");

    @Test
    void aNodeRunsAndCallsOverZeroMqWithoutAnyBrokerClass() throws Exception {
        try (URLClassLoader withoutBroker = new URLClassLoader(classPathWithoutBroker(),
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> withoutBroker.loadClass("org.springframework.amqp.core.Message"))
                    .as("the loader really lacks Spring AMQP").isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> withoutBroker.loadClass("com.rabbitmq.client.Channel"))
                    .isInstanceOf(ClassNotFoundException.class);

            Object result = withoutBroker.loadClass(NoBrokerProgram.class.getName()).getMethod("callOnce").invoke(null);

            assertThat(result).isEqualTo("echo:hi {enabled=false}");
        }
    }

    private static URL[] classPathWithoutBroker() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (BROKER_JARS.stream().noneMatch(name::startsWith)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }
}
