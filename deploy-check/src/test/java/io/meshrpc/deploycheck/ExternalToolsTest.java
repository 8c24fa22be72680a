package io.meshrpc.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;

/**
 * The real tools, when this machine has them: {@code kubectl kustomize} renders the base, and Docker Compose
 * validates the compose file (neither needs a cluster or a Docker engine). Skipped, with the reason, when the
 * tool is not installed.
 */
class ExternalToolsTest {

    private record Result(int exit, String out, String err) {
    }

    @Test
    void kubectlKustomizeRendersTheBaseIntoTypedObjectsInTheMeshrpcNamespace() throws Exception {
        Optional<Path> kubectl = onPath("kubectl");
        Assumptions.assumeTrue(kubectl.isPresent(),
                "kubectl is not installed (Debian: apt-get install kubernetes-client); k8s/ was not rendered");
        Result r = run(List.of(kubectl.get().toString(), "kustomize", Kube.dir().toString()));
        assertThat(r.exit()).as("kubectl kustomize k8s/: " + r.err()).isZero();

        List<Kube.Doc> rendered = Kube.parse("(kubectl kustomize)", r.out());
        Set<String> expected = new TreeSet<>();
        Kube.docs().forEach(d -> expected.add(d.kind() + "/" + d.name()));
        Set<String> actual = new TreeSet<>();
        String namespace = String.valueOf(Kube.kustomization().get("namespace"));
        for (Kube.Doc d : rendered) {
            actual.add(d.kind() + "/" + d.name());
            KubernetesResource typed = d.typed();
            assertThat(typed).as(d.where()).isInstanceOf(HasMetadata.class).isNotInstanceOf(GenericKubernetesResource.class);
            HasMetadata object = (HasMetadata) typed;
            if (!d.kind().equals("Namespace")) {
                assertThat(object.getMetadata().getNamespace()).as(d.where() + " namespace").isEqualTo(namespace);
            }
            assertThat(object.getMetadata().getLabels()).as(d.where() + " labels")
                    .containsEntry("app.kubernetes.io/part-of", "meshrpc");
            assertThat(Kube.unknownFields(typed)).as(d.where() + " unknown fields").isEmpty();
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(r.out()).as("images tagged by the kustomization").contains("image: meshrpc/compute-agent:0.1.0");
    }

    @Test
    void dockerComposeAcceptsTheComposeFile() throws Exception {
        Path file = Repo.file(Compose.FILE);
        List<String> command = new ArrayList<>();
        Path legacyCopy = null;
        Optional<Path> docker = onPath("docker");
        if (docker.isPresent() && run(List.of(docker.get().toString(), "compose", "version")).exit() == 0) {
            command.addAll(List.of(docker.get().toString(), "compose", "-f", file.toString()));
        } else {
            Optional<Path> legacy = onPath("docker-compose");
            Assumptions.assumeTrue(legacy.isPresent(),
                    "neither the docker compose plugin nor docker-compose is installed; docker-compose.yml was checked by "
                            + "ComposeFileTest only");
            // docker-compose 1.x predates the top-level "name" of the Compose Specification: check the rest
            String project = String.valueOf(Compose.document().get("name"));
            legacyCopy = Files.createTempFile("docker-compose", ".yml");
            Files.writeString(legacyCopy, Repo.read(Compose.FILE).replaceFirst("(?m)^name:.*$", ""));
            command.addAll(List.of(legacy.get().toString(), "-f", legacyCopy.toString(), "--project-directory",
                    Repo.ROOT.toString(), "-p", project));
        }
        command.addAll(List.of("--profile", "metrics", "config", "--quiet"));
        try {
            Result r = run(command);
            assertThat(r.exit()).as(String.join(" ", command) + ": " + r.err()).isZero();
        } finally {
            if (legacyCopy != null) {
                Files.deleteIfExists(legacyCopy);
            }
        }
    }

    private static Optional<Path> onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("deploy-check", ".out");
        Path err = Files.createTempFile("deploy-check", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(Repo.ROOT.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
