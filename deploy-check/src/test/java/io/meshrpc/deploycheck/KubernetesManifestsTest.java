package io.meshrpc.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The kustomize base in k8s/ against the modules, their configuration metadata and the port plan of docs/architecture.md. */
class KubernetesManifestsTest {

    /** A Deployment that runs one of this repository's images, with its container and environment. */
    record Workload(Deployment deployment, Container container, String module, Map<String, String> env) {

        String where() {
            return Kube.DIR + " Deployment " + deployment.getMetadata().getName();
        }

        ServiceJar jar() {
            return ServiceJar.of(Repo.modules().get(module));
        }

        Properties applicationProperties() {
            return Repo.modules().get(module).applicationProperties();
        }

        String effective(String property) {
            return SpringEnv.effective(env, applicationProperties(), property).orElse(null);
        }

        int httpPort() {
            return Integer.parseInt(effective("server.port"));
        }
    }

    static List<Workload> workloads() {
        List<ConfigMap> configMaps = Kube.typed(ConfigMap.class);
        List<Secret> secrets = Kube.typed(Secret.class);
        List<Workload> out = new ArrayList<>();
        for (Deployment d : Kube.typed(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                String image = c.getImage();
                if (image.startsWith("meshrpc/")) {
                    String module = image.substring("meshrpc/".length()).replaceFirst(":.*$", "");
                    out.add(new Workload(d, c, module, Kube.environment(c, configMaps, secrets)));
                }
            }
        }
        return out;
    }

    static Set<String> deployedModules() {
        return workloads().stream().map(Workload::module).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Workload workload(String module) {
        return workloads().stream().filter(w -> w.module().equals(module)).findFirst().orElseThrow(
                () -> new AssertionError("no Deployment runs meshrpc/" + module));
    }

    @Test
    void kustomizationListsEveryManifestFile() {
        Map<String, Object> k = Kube.kustomization();
        assertThat(k.get("kind")).isEqualTo("Kustomization");
        assertThat((List<?>) k.get("resources")).map(String::valueOf)
                .containsExactlyInAnyOrderElementsOf(Kube.manifestFiles());
    }

    @Test
    void everyManifestParsesAsTypedKubernetesObjectsWithoutUnknownFields() {
        List<Kube.Doc> docs = Kube.docs();
        assertThat(docs).hasSizeGreaterThanOrEqualTo(10);
        List<String> problems = new ArrayList<>();
        for (Kube.Doc d : docs) {
            KubernetesResource typed = d.typed();
            if (typed instanceof GenericKubernetesResource || !(typed instanceof HasMetadata)) {
                problems.add(d.where() + ": not a known Kubernetes kind (" + typed.getClass().getSimpleName() + ")");
                continue;
            }
            Kube.unknownFields(typed).forEach(f -> problems.add(d.where() + ": unknown field " + f));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void eachServiceModuleRunsAsADeploymentOfItsComposeImage() {
        Set<String> modules = deployedModules();
        assertThat(modules).containsExactlyInAnyOrder("matchmaker-service", "scheduler-service",
                "consoleauth-service", "gateway-service", "compute-agent");
        for (String m : modules) {
            assertThat(Repo.modules()).as("module " + m).containsKey(m);
            assertThat(Repo.modules().get(m).buildsExecJar()).as(m + " builds an exec jar").isTrue();
        }
        Set<String> images = workloads().stream().map(w -> w.container().getImage().replaceFirst(":.*$", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(images).as("the images docker-compose.yml builds").isEqualTo(ComposeFileTest.images());
        assertThat(workload("scheduler-service").deployment().getSpec().getReplicas()).as("schedulers").isEqualTo(2);
    }

    @Test
    void everyConfigMapKeyAndEnvVariableBindsAPropertyTheServiceReadsWithAValueOfItsType() {
        List<String> problems = new ArrayList<>();
        for (Workload w : workloads()) {
            problems.addAll(SpringEnv.problems(w.where(), w.env(), w.jar()));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void containersListenOnTheDesignPortsAndServicesTargetThem() {
        List<Service> services = Kube.typed(Service.class);
        for (Workload w : workloads()) {
            int http = w.httpPort();
            assertThat(http).as(w.where() + " server.port (the port plan)").isEqualTo(Repo.PLANNED_HTTP_PORTS.get(w.module()));
            assertThat(port(w.container(), "http")).as(w.where() + " containerPort http").isEqualTo(http);
            if (w.jar().isMeshNode()) {
                assertThat(w.effective("meshrpc.zmq.port")).as(w.where() + " meshrpc.zmq.port (the port plan)")
                        .isEqualTo(String.valueOf(Repo.PLANNED_ZMQ_PORT));
                assertThat(port(w.container(), "zmq")).as(w.where() + " containerPort zmq").isEqualTo(Repo.PLANNED_ZMQ_PORT);
            }
            Map<String, String> podLabels = w.deployment().getSpec().getTemplate().getMetadata().getLabels();
            Service svc = services.stream().filter(s -> s.getSpec().getSelector() != null
                            && podLabels.entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                    .findFirst().orElseThrow(() -> new AssertionError(w.where() + ": no Service selects its pods"));
            for (ServicePort sp : svc.getSpec().getPorts()) {
                assertThat(resolve(w.container(), sp.getTargetPort())).as("Service " + svc.getMetadata().getName()
                        + " port " + sp.getName() + " targets a container port").isNotNull();
            }
            assertThat(svc.getSpec().getPorts()).as("Service " + svc.getMetadata().getName() + " serves HTTP on "
                    + http).anyMatch(sp -> sp.getPort() == http);
        }
    }

    @Test
    void deploymentSelectorsMatchTheirPodsAndEveryServiceSelectsPods() {
        List<Map<String, String>> podLabels = new ArrayList<>();
        for (Deployment d : Kube.typed(Deployment.class)) {
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(labels).as("Deployment " + d.getMetadata().getName() + " pods")
                    .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
            podLabels.add(labels);
        }
        for (Service s : Kube.typed(Service.class)) {
            assertThat(podLabels).as("pods of Service " + s.getMetadata().getName())
                    .anyMatch(l -> l.entrySet().containsAll(s.getSpec().getSelector().entrySet()));
        }
    }

    @Test
    void probesUseTheActuatorHealthGroupsOnTheHttpPort() {
        for (Workload w : workloads()) {
            Container c = w.container();
            assertThat(w.effective("management.endpoint.health.probes.enabled")).as(w.where() + " probes enabled")
                    .isEqualTo("true");
            checkProbe(w, c.getLivenessProbe(), "/actuator/health/liveness");
            checkProbe(w, c.getReadinessProbe(), "/actuator/health/readiness");
            if (c.getStartupProbe() != null) {
                checkProbe(w, c.getStartupProbe(), "/actuator/health/liveness");
            }
        }
    }

    private static void checkProbe(Workload w, Probe probe, String path) {
        assertThat(probe).as(w.where() + " probe on " + path).isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as(w.where() + " probe is an HTTP GET").isNotNull();
        assertThat(get.getPath()).as(w.where() + " probe path").isEqualTo(path);
        assertThat(resolve(w.container(), get.getPort())).as(w.where() + " probe port").isEqualTo(w.httpPort());
    }

    @Test
    void healthGroupMembersAreHealthIndicatorsOfTheService() {
        // Spring Boot refuses to start when a group includes a contributor that does not exist
        List<Map.Entry<String, Map<String, String>>> envs = new ArrayList<>();
        workloads().forEach(w -> envs.add(Map.entry(w.module(), w.env())));
        ComposeFileTest.environments().forEach(envs::add);
        for (Map.Entry<String, Map<String, String>> e : envs) {
            ServiceJar jar = ServiceJar.of(Repo.modules().get(e.getKey()));
            for (String group : List.of("liveness", "readiness")) {
                Optional<String> include = SpringEnv.value(e.getValue(),
                        "management.endpoint.health.group." + group + ".include");
                include.ifPresent(members -> {
                    for (String member : members.split(",")) {
                        assertThat(jar.healthIndicators()).as(e.getKey() + " health indicators (group " + group + ")")
                                .contains(member.trim());
                    }
                });
            }
        }
    }

    @Test
    void meshNodesRegisterUnderTheirPodNameAtTheirPodIp() {
        for (Workload w : workloads()) {
            if (!w.jar().isMeshNode()) {
                continue;
            }
            assertThat(w.effective("meshrpc.node-id")).as(w.where() + " meshrpc.node-id")
                    .isEqualTo(SpringEnv.runtimeValue("fieldRef metadata.name"));
            assertThat(w.effective("meshrpc.zmq.advertise-host")).as(w.where() + " meshrpc.zmq.advertise-host")
                    .isEqualTo(SpringEnv.runtimeValue("fieldRef status.podIP"));
            assertThat(w.effective("meshrpc.zmq.bind-host")).as(w.where() + " meshrpc.zmq.bind-host")
                    .isIn(null, "*", "0.0.0.0");
        }
    }

    @Test
    void nodesUseTheMatchmakerBrokerAndStoreServicesOfTheBase() {
        Set<String> serviceNames = Kube.typed(Service.class).stream().map(s -> s.getMetadata().getName())
                .collect(Collectors.toSet());
        Workload matchmaker = workload("matchmaker-service");
        assertThat(matchmaker.effective("meshrpc.matchmaker.store")).isEqualTo("redis");
        assertThat(serviceNames).contains(matchmaker.effective("spring.data.redis.host"));
        String token = matchmaker.effective("meshrpc.matchmaker.token");
        assertThat(token).as("the matchmaker's write token").startsWith(SpringEnv.RUNTIME_PREFIX + "secretKeyRef");
        for (Workload w : workloads()) {
            if (!w.jar().isMeshNode()) {
                continue;
            }
            assertThat(w.effective("meshrpc.matchmaker.type")).as(w.where()).isEqualTo("rest");
            assertThat(w.effective("meshrpc.matchmaker.url")).as(w.where() + " meshrpc.matchmaker.url")
                    .isEqualTo("http://" + matchmaker.deployment().getMetadata().getName() + ":" + matchmaker.httpPort());
            assertThat(serviceNames).as(w.where() + " matchmaker Service").contains(matchmaker.deployment().getMetadata().getName());
            assertThat(w.effective("meshrpc.matchmaker.token")).as(w.where() + " token").isEqualTo(token);
            assertThat(w.effective("meshrpc.amqp.enabled")).as(w.where()).isEqualTo("true");
            assertThat(serviceNames).as(w.where() + " spring.rabbitmq.host").contains(w.effective("spring.rabbitmq.host"));
        }
    }

    @Test
    void secretAndConfigMapReferencesExist() {
        List<ConfigMap> configMaps = Kube.typed(ConfigMap.class);
        List<Secret> secrets = Kube.typed(Secret.class);
        for (Deployment d : Kube.typed(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                c.getEnvFrom().forEach(from -> {
                    if (from.getConfigMapRef() != null) {
                        Kube.configMap(configMaps, from.getConfigMapRef().getName());
                    }
                    if (from.getSecretRef() != null) {
                        Kube.secret(secrets, from.getSecretRef().getName());
                    }
                });
                c.getEnv().stream().filter(v -> v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null)
                        .forEach(v -> assertThat(Kube.secret(secrets, v.getValueFrom().getSecretKeyRef().getName()))
                                .as(d.getMetadata().getName() + " " + v.getName())
                                .containsKey(v.getValueFrom().getSecretKeyRef().getKey()));
            }
        }
    }

    @Test
    void computeAgentsAreAScalableDeploymentWithoutFixedNames() {
        Workload agent = workload("compute-agent");
        Deployment d = agent.deployment();
        assertThat(d.getSpec().getReplicas()).as("agents").isGreaterThanOrEqualTo(1);
        assertThat(d.getSpec().getTemplate().getSpec().getHostname()).as("fixed host name").isNull();
        assertThat(agent.container().getPorts()).as("host ports").allMatch(p -> p.getHostPort() == null);
    }

    @Test
    void podsCarryPrometheusScrapeAnnotationsForTheirHttpPort() {
        for (Workload w : workloads()) {
            Map<String, String> a = w.deployment().getSpec().getTemplate().getMetadata().getAnnotations();
            assertThat(a).as(w.where() + " pod annotations").containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/path", "/actuator/prometheus")
                    .containsEntry("prometheus.io/port", String.valueOf(w.httpPort()));
            assertThat(w.effective("management.endpoints.web.exposure.include")).as(w.where() + " exposes")
                    .contains("prometheus");
        }
    }

    @Test
    void scrapedServicesServeThePrometheusEndpoint() {
        List<String> without = deployedModules().stream()
                .filter(m -> !ServiceJar.of(Repo.modules().get(m)).hasLibrary("micrometer-registry-prometheus"))
                .toList();
        Assumptions.assumeTrue(without.isEmpty(), "/actuator/prometheus answers 404 until these services add "
                + "io.micrometer:micrometer-registry-prometheus: " + without);
    }

    private static Integer port(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElse(null);
    }

    private static Integer resolve(Container c, IntOrString port) {
        if (port == null) {
            return null;
        }
        if (port.getIntVal() != null) {
            return c.getPorts().stream().map(ContainerPort::getContainerPort).filter(port.getIntVal()::equals)
                    .findFirst().orElse(null);
        }
        return port(c, port.getStrVal());
    }
}
