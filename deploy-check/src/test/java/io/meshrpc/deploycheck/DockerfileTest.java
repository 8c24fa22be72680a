package io.meshrpc.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one Dockerfile all service images are built from. */
class DockerfileTest {

    private static final Pattern FROM = Pattern.compile("(?im)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");

    /** The Dockerfile's stages: [image, name] in order. */
    private static List<String[]> stages(String dockerfile) {
        List<String[]> out = new ArrayList<>();
        Matcher m = FROM.matcher(dockerfile);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    private static String runtimeStage(String dockerfile) {
        Matcher m = FROM.matcher(dockerfile);
        int last = -1;
        while (m.find()) {
            last = m.start();
        }
        return dockerfile.substring(last);
    }

    @Test
    void buildsWithTheMavenWrapperOnJdk17AndRunsOnAJre17() {
        String dockerfile = Repo.read("Dockerfile");
        List<String[]> stages = stages(dockerfile);
        assertThat(stages).as("stages").hasSizeGreaterThanOrEqualTo(2);
        assertThat(stages.get(0)[0]).as("build stage image").isEqualTo("${JDK_IMAGE}");
        assertThat(stages.get(stages.size() - 1)[0]).as("runtime stage image").isEqualTo("${JRE_IMAGE}");
        assertThat(dockerfile).containsPattern("(?m)^ARG JDK_IMAGE=eclipse-temurin:17-jdk")
                .containsPattern("(?m)^ARG JRE_IMAGE=eclipse-temurin:17-jre");
        String build = dockerfile.substring(0, dockerfile.indexOf(runtimeStage(dockerfile)));
        assertThat(build).contains("./mvnw").contains("-DskipTests").contains("package");
        assertThat(runtimeStage(dockerfile)).containsPattern("(?m)^ARG SERVICE\\b")
                .contains("/out/${SERVICE}.jar")
                .contains("-XX:MaxRAMPercentage=").contains("-XX:+UseSerialGC");
    }

    @Test
    void theEntrypointAddsTheVectorModuleOnlyWhereTheRuntimeListsIt(@TempDir Path dir) throws Exception {
        List<String> entrypoint = entrypoint(Repo.read("Dockerfile"));

        String with = runEntrypoint(entrypoint, dir.resolve("with"), "MODULES=\"java.base jdk.incubator.vector jdk.jfr\"");
        String without = runEntrypoint(entrypoint, dir.resolve("without"), "MODULES=\"java.base jdk.jfr\"");

        assertThat(with).isEqualTo("--add-modules jdk.incubator.vector -Xss1m -jar /app/app.jar --server.port=1");
        assertThat(without).as("a JRE linked without the module still starts").isEqualTo("-Xss1m -jar /app/app.jar --server.port=1");
    }

    /** The ENTRYPOINT's exec form, read as the YAML flow sequence that a JSON array also is. */
    @SuppressWarnings("unchecked")
    private static List<String> entrypoint(String dockerfile) {
        Matcher m = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$").matcher(dockerfile);
        assertThat(m.find()).as("an ENTRYPOINT in exec form").isTrue();
        return (List<String>) new org.yaml.snakeyaml.Yaml().load(m.group(1));
    }

    /**
     * What {@code java} gets when the entrypoint runs in a runtime at {@code home} whose release file
     * says {@code modules}: a stand-in {@code java} there prints its arguments.
     */
    private static String runEntrypoint(List<String> entrypoint, Path home, String modules) throws Exception {
        Path standIn = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(standIn, "#!/bin/sh\necho \"$@\"\n");
        assertThat(standIn.toFile().setExecutable(true)).isTrue();
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n" + modules + "\n");
        List<String> command = new ArrayList<>(entrypoint);
        command.add("--server.port=1");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", home.resolve("bin") + ":/usr/bin:/bin");
        builder.environment().put("JAVA_OPTS", "-Xss1m");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void buildStageBuildsEveryServiceModuleThatTheDeploymentsRun() {
        String dockerfile = Repo.read("Dockerfile");
        Matcher pl = Pattern.compile("-pl\\s+(\\S+)").matcher(dockerfile);
        assertThat(pl.find()).as("the build names its modules with -pl").isTrue();
        Set<String> built = new TreeSet<>(Arrays.asList(pl.group(1).split(",")));
        assertThat(Repo.modules().keySet()).as("modules of the root pom").containsAll(built);
        for (String module : built) {
            assertThat(Repo.modules().get(module).buildsExecJar()).as(module + " builds an exec jar").isTrue();
        }
        Set<String> deployed = new TreeSet<>();
        Compose.services().values().forEach(s -> s.module().ifPresent(deployed::add));
        KubernetesManifestsTest.deployedModules().forEach(deployed::add);
        assertThat(built).as("modules built by the Dockerfile").containsAll(deployed);
    }

    @Test
    void runtimeImageHasTheToolTheComposeHealthchecksUse() {
        String runtime = runtimeStage(Repo.read("Dockerfile"));
        for (Compose.Service s : Compose.services().values()) {
            if (s.module().isPresent()) {
                String tool = s.healthcheckCommand().replaceFirst("^CMD(-SHELL)?\\s+", "").split("\\s+")[0];
                // the temurin (Ubuntu) images ship curl; the Dockerfile makes sure of it
                assertThat(runtime).as("runtime stage provides " + tool + " for " + s.name()).contains(tool);
            }
        }
    }

    @Test
    void noSyntaxLineThatWouldPullAFrontendImageFromDockerHub() {
        assertThat(Repo.read("Dockerfile")).doesNotContainPattern("(?im)^#\\s*syntax\\s*=");
    }

    @Test
    void dockerignoreKeepsBuildOutputAndLocalStateOutOfTheContext() {
        List<String> lines = Repo.read(".dockerignore").lines().map(String::trim).toList();
        assertThat(lines).anyMatch(l -> l.matches("(\\*\\*/)?target/?"));
        assertThat(lines).anyMatch(l -> l.matches("/?\\.demo/?"));
        assertThat(lines).anyMatch(l -> l.matches("/?\\.git/?"));
        // editing the compose settings must not invalidate the build layer and re-run Maven
        assertThat(lines).anyMatch(l -> l.matches("/?\\.env"));
    }
}
