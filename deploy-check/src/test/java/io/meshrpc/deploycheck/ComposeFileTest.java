package io.meshrpc.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** docker-compose.yml against the modules, their configuration metadata and the port plan of docs/architecture.md. */
class ComposeFileTest {

    /** The services built from this repository, by compose service name. */
    private static Map<String, Compose.Service> built() {
        Map<String, Compose.Service> out = new TreeMap<>();
        Compose.services().forEach((name, s) -> {
            if (s.module().isPresent()) {
                out.put(name, s);
            }
        });
        return out;
    }

    private static ServiceJar jar(Compose.Service s) {
        return ServiceJar.of(Repo.modules().get(s.module().orElseThrow()));
    }

    private static String effective(Compose.Service s, String property) {
        Properties props = Repo.modules().get(s.module().orElseThrow()).applicationProperties();
        return SpringEnv.effective(s.environment(), props, property).orElse(null);
    }

    @Test
    void runsTheDemoClusterBrokerStoreMatchmakerTwoSchedulersConsoleauthGatewayAndAgents() {
        Map<String, Compose.Service> services = Compose.services();
        Map<String, Long> perModule = built().values().stream()
                .collect(Collectors.groupingBy(s -> s.module().orElseThrow(), TreeMap::new, Collectors.counting()));
        assertThat(perModule).containsEntry("matchmaker-service", 1L).containsEntry("scheduler-service", 2L)
                .containsEntry("consoleauth-service", 1L).containsEntry("gateway-service", 1L)
                .containsEntry("compute-agent", 1L);
        assertThat(services.values()).as("a RabbitMQ").anyMatch(s -> String.valueOf(s.image()).startsWith("rabbitmq:"));
        assertThat(services.values()).as("a Redis").anyMatch(s -> String.valueOf(s.image()).startsWith("redis:"));
    }

    @Test
    void everyBuiltServiceIsAModuleOfTheRootPomWithAnExecJarAndItsOwnImage() {
        assertThat(built()).isNotEmpty();
        for (Compose.Service s : built().values()) {
            String module = s.module().orElseThrow();
            assertThat(Repo.modules()).as(s.name() + ": module " + module + " in the root pom").containsKey(module);
            assertThat(Repo.modules().get(module).buildsExecJar()).as(module + " builds an exec jar").isTrue();
            if (s.builds()) {
                assertThat(String.valueOf(s.build().get("context"))).as(s.name() + " build context").isIn(".", "./");
                assertThat(s.build().get("dockerfile")).as(s.name() + " dockerfile").isIn(null, "Dockerfile");
            }
            assertThat(s.image()).as(s.name() + " image").startsWith("meshrpc/" + module + ":");
            assertThat(jar(s).execJar()).as(module + " exec jar").exists();
        }
    }

    @Test
    void everyMeshrpcImageIsBuiltOnceHereAndNeverPulled() {
        Map<String, Long> builders = built().values().stream().filter(Compose.Service::builds)
                .collect(Collectors.groupingBy(Compose.Service::image, Collectors.counting()));
        for (Compose.Service s : built().values()) {
            // a second build of the same tag would leave the first one dangling
            assertThat(builders.get(s.image())).as(s.name() + ": services building " + s.image()).isEqualTo(1L);
            if (!s.builds()) {
                // another service builds it; pulling would ask a registry that has no meshrpc images
                assertThat(s.string("pull_policy")).as(s.name() + " pull_policy").isEqualTo("never");
            }
        }
    }

    @Test
    void publicImagesAndHostPortsAreSettingsWithThePublicNamesAndPlannedPortsAsDefaults() {
        String file = Repo.read(Compose.FILE);
        for (String variable : List.of("MESHRPC_JDK_IMAGE", "MESHRPC_JRE_IMAGE", "MESHRPC_RABBITMQ_IMAGE",
                "MESHRPC_REDIS_IMAGE", "MESHRPC_PROMETHEUS_IMAGE")) {
            assertThat(file).as(variable).contains("${" + variable + ":-");
        }
        for (Compose.Service s : Compose.services().values()) {
            Object image = s.raw().get("image");
            if (image != null && !s.image().startsWith(Compose.MESHRPC_IMAGE)) {
                assertThat(String.valueOf(image)).as(s.name() + " image is a setting").startsWith("${MESHRPC_");
            }
            if (s.raw().get("ports") instanceof List<?> ports) {
                ports.forEach(p -> assertThat(String.valueOf(p)).as(s.name() + " host port is a setting")
                        .startsWith("${MESHRPC_"));
            }
        }
        built().values().stream().filter(Compose.Service::builds).forEach(s -> assertThat(s.build().get("args"))
                .as(s.name() + " build args").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("JDK_IMAGE", "${MESHRPC_JDK_IMAGE:-eclipse-temurin:17-jdk-noble}")
                .containsEntry("JRE_IMAGE", "${MESHRPC_JRE_IMAGE:-eclipse-temurin:17-jre-noble}"));
    }

    @Test
    void everyEnvironmentVariableBindsAPropertyTheServiceReadsWithAValueOfItsType() {
        List<String> problems = new ArrayList<>();
        for (Compose.Service s : built().values()) {
            problems.addAll(SpringEnv.problems(Compose.FILE + " " + s.name(), s.environment(), jar(s)));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void applicationPropertiesOfEveryServiceUseTheDesignPorts() {
        for (Compose.Service s : built().values()) {
            String module = s.module().orElseThrow();
            Properties props = Repo.modules().get(module).applicationProperties();
            assertThat(props.getProperty("server.port")).as(module + " server.port (the port plan)")
                    .isEqualTo(String.valueOf(Repo.PLANNED_HTTP_PORTS.get(module)));
        }
    }

    @Test
    void containersListenOnTheDesignPortsAndPublishThemUnchanged() {
        Map<Integer, String> hostPorts = new HashMap<>();
        for (Compose.Service s : Compose.services().values()) {
            for (int[] port : s.ports()) {
                if (port[0] > 0) {
                    assertThat(hostPorts.put(port[0], s.name())).as("host port " + port[0] + " published twice").isNull();
                }
            }
        }
        for (Compose.Service s : built().values()) {
            String module = s.module().orElseThrow();
            int http = Integer.parseInt(effective(s, "server.port"));
            assertThat(http).as(s.name() + " server.port").isEqualTo(Repo.PLANNED_HTTP_PORTS.get(module));
            for (int[] port : s.ports()) {
                assertThat(port[1]).as(s.name() + " publishes its HTTP port").isEqualTo(http);
            }
            if (jar(s).isMeshNode()) {
                assertThat(effective(s, "meshrpc.zmq.port")).as(s.name() + " meshrpc.zmq.port (the port plan)")
                        .isEqualTo(String.valueOf(Repo.PLANNED_ZMQ_PORT));
            }
        }
    }

    @Test
    void everyServiceHasAHealthcheckOnItsOwnActuatorHealth() {
        for (Compose.Service s : Compose.services().values()) {
            if (Optional.ofNullable(s.string("profiles")).isPresent()) {
                continue; // optional tools (profile "metrics")
            }
            assertThat(s.healthcheckCommand()).as(s.name() + " healthcheck").isNotNull();
        }
        for (Compose.Service s : built().values()) {
            Map.Entry<Integer, String> url = s.healthcheckUrl().orElseThrow(
                    () -> new AssertionError(s.name() + ": healthcheck requests no local URL: " + s.healthcheckCommand()));
            assertThat(url.getKey()).as(s.name() + " healthcheck port").isEqualTo(Integer.parseInt(effective(s, "server.port")));
            assertThat(url.getValue()).as(s.name() + " healthcheck path").startsWith("/actuator/health");
            assertThat(s.healthcheckCommand()).as(s.name() + " healthcheck fails on DOWN (503)").contains("-f");
        }
    }

    @Test
    void computeAgentsScaleOutEachRegisteredUnderItsContainerHostName() {
        Compose.Service agent = built().values().stream().filter(s -> s.module().orElseThrow().equals("compute-agent"))
                .findFirst().orElseThrow();
        assertThat(agent.ports()).as("published ports (they would collide when scaled)")
                .allMatch(p -> p[0] < 0);
        assertThat(agent.raw()).as("fixed names (they would collide when scaled)")
                .doesNotContainKeys("container_name", "hostname");
        Map<String, String> env = agent.environment();
        // meshrpc.node-id and meshrpc.zmq.advertise-host default to the host name (the container's)
        assertThat(SpringEnv.value(env, "meshrpc.node-id")).as("meshrpc.node-id").isEmpty();
        assertThat(SpringEnv.value(env, "meshrpc.zmq.advertise-host")).as("meshrpc.zmq.advertise-host").isEmpty();
    }

    @Test
    void meshNodesBindZeroMqOnAllInterfacesAdvertiseANameOtherContainersResolveAndHaveDistinctIds() {
        Map<String, String> fixedIds = new HashMap<>();
        for (Compose.Service s : built().values()) {
            if (!jar(s).isMeshNode()) {
                continue;
            }
            String bind = effective(s, "meshrpc.zmq.bind-host");
            assertThat(bind).as(s.name() + " meshrpc.zmq.bind-host (other containers connect to it)")
                    .isIn(null, "*", "0.0.0.0");
            // Compose gives each container two DNS aliases, its service name and its short id (the default host
            // name): a fixed host name must be the service name, or other containers cannot resolve it
            String hostname = s.string("hostname");
            assertThat(hostname).as(s.name() + " hostname (advertised over ZeroMQ)").isIn(null, s.name());
            assertThat(SpringEnv.value(s.environment(), "meshrpc.zmq.advertise-host")).as(s.name() + " advertise host")
                    .isEmpty();
            String id = SpringEnv.value(s.environment(), "meshrpc.node-id").orElse(hostname);
            if (id != null) {
                assertThat(fixedIds.put(id, s.name())).as("node id " + id + " used twice").isNull();
            }
        }
    }

    @Test
    void nodesFindTheMatchmakerBrokerAndStoreOfThisFileAndShareTheMatchmakerToken() {
        Map<String, Compose.Service> services = Compose.services();
        Compose.Service matchmaker = built().values().stream()
                .filter(s -> s.module().orElseThrow().equals("matchmaker-service")).findFirst().orElseThrow();
        assertThat(effective(matchmaker, "meshrpc.matchmaker.store")).isEqualTo("redis");
        String redisHost = effective(matchmaker, "spring.data.redis.host");
        assertThat(services).as("spring.data.redis.host " + redisHost + " is a service").containsKey(redisHost);
        assertThat(services.get(redisHost).image()).startsWith("redis:");
        String token = effective(matchmaker, "meshrpc.matchmaker.token");
        assertThat(token).as("the matchmaker's write token").isNotBlank();
        int matchmakerPort = Integer.parseInt(effective(matchmaker, "server.port"));

        for (Compose.Service s : built().values()) {
            if (!jar(s).isMeshNode()) {
                continue;
            }
            assertThat(effective(s, "meshrpc.matchmaker.type")).as(s.name()).isEqualTo("rest");
            assertThat(effective(s, "meshrpc.matchmaker.url")).as(s.name() + " meshrpc.matchmaker.url")
                    .isEqualTo("http://" + matchmaker.name() + ":" + matchmakerPort);
            assertThat(effective(s, "meshrpc.matchmaker.token")).as(s.name() + " token").isEqualTo(token);
            assertThat(effective(s, "meshrpc.amqp.enabled")).as(s.name() + " meshrpc.amqp.enabled").isEqualTo("true");
            String broker = effective(s, "spring.rabbitmq.host");
            assertThat(services).as(s.name() + ": spring.rabbitmq.host " + broker + " is a service").containsKey(broker);
            Map<String, String> brokerEnv = services.get(broker).environment();
            assertThat(effective(s, "spring.rabbitmq.username")).as(s.name() + " broker user")
                    .isEqualTo(brokerEnv.get("RABBITMQ_DEFAULT_USER"));
            assertThat(effective(s, "spring.rabbitmq.password")).as(s.name() + " broker password")
                    .isEqualTo(brokerEnv.get("RABBITMQ_DEFAULT_PASS"));
            assertThat(s.dependsOn()).as(s.name() + " waits for").contains(matchmaker.name(), broker);
        }
    }

    @Test
    void dependenciesNameServicesOfThisFile() {
        Map<String, Compose.Service> services = Compose.services();
        for (Compose.Service s : services.values()) {
            assertThat(services.keySet()).as(s.name() + " depends_on").containsAll(s.dependsOn());
        }
    }

    @Test
    void everyVariableHasADefaultSoAPlainUpWorks() {
        List<String> missing = new ArrayList<>();
        collectVariablesWithoutDefault(Compose.document(), missing);
        assertThat(missing).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static void collectVariablesWithoutDefault(Object node, List<String> out) {
        if (node instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectVariablesWithoutDefault(v, out));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectVariablesWithoutDefault(v, out));
        } else if (node instanceof String s) {
            out.addAll(Compose.variablesWithoutDefault(s));
        }
    }

    @Test
    void prometheusScrapesEveryBuiltServiceOnItsHttpPort() {
        Compose.Service prometheus = Compose.services().values().stream()
                .filter(s -> String.valueOf(s.image()).startsWith("prom/prometheus")).findFirst().orElseThrow();
        String mount = ((List<?>) prometheus.raw().get("volumes")).stream().map(String::valueOf)
                .filter(v -> v.contains("prometheus.yml")).findFirst().orElseThrow();
        String file = mount.substring(0, mount.indexOf(':')).replaceFirst("^\\./", "");
        Map<?, ?> config = new Yaml(new SafeConstructor(new LoaderOptions())).load(Repo.read(file));
        Map<String, Integer> scraped = new TreeMap<>();
        for (Object job : (List<?>) config.get("scrape_configs")) {
            Map<?, ?> j = (Map<?, ?>) job;
            assertThat(j.get("metrics_path")).as("job " + j.get("job_name")).isEqualTo("/actuator/prometheus");
            for (Object sd : (List<?>) j.get("dns_sd_configs")) {
                Map<?, ?> d = (Map<?, ?>) sd;
                for (Object name : (List<?>) d.get("names")) {
                    scraped.put(String.valueOf(name), (Integer) d.get("port"));
                }
            }
        }
        Map<String, Integer> expected = new TreeMap<>();
        built().values().forEach(s -> expected.put(s.name(), Integer.parseInt(effective(s, "server.port"))));
        assertThat(scraped).isEqualTo(expected);
        for (Compose.Service s : built().values()) {
            assertThat(effective(s, "management.endpoints.web.exposure.include")).as(s.name() + " exposes")
                    .contains("prometheus");
        }
    }

    /** The meshrpc images the file builds, without tags. */
    static Set<String> images() {
        return built().values().stream().map(s -> s.image().substring(0, s.image().indexOf(':')))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** (module, environment) of every built service, for other tests. */
    static List<Map.Entry<String, Map<String, String>>> environments() {
        return built().values().stream().map(s -> Map.entry(s.module().orElseThrow(), s.environment())).toList();
    }
}
