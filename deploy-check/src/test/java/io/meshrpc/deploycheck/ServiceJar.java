package io.meshrpc.deploycheck;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What one service's executable jar (the jar its image runs) says about its configuration: every property
 * in the {@code META-INF/spring-configuration-metadata.json} of the application and of each library in
 * {@code BOOT-INF/lib}, the health indicators it contains, and its libraries.
 */
final class ServiceJar {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    private static final Map<String, ServiceJar> CACHE = new ConcurrentHashMap<>();

    /** One configuration property of the metadata. */
    record Property(String name, String type, String deprecationLevel) {

        boolean isMap() {
            return type != null && type.startsWith("java.util.Map<");
        }

        boolean deprecated() {
            return deprecationLevel != null;
        }
    }

    private final Repo.Module module;
    private final Path execJar;
    private final Map<String, Property> properties = new TreeMap<>();
    private final Set<String> healthIndicators = new TreeSet<>();
    private final List<String> libraries = new ArrayList<>();
    private Map<ConfigurationPropertyName, Property> byName;

    private ServiceJar(Repo.Module module, Path execJar) {
        this.module = module;
        this.execJar = execJar;
    }

    /** The exec jar of a module, read once per test run. */
    static ServiceJar of(Repo.Module module) {
        return CACHE.computeIfAbsent(module.name(), n -> load(module));
    }

    Repo.Module module() {
        return module;
    }

    Path execJar() {
        return execJar;
    }

    Map<String, Property> properties() {
        return Collections.unmodifiableMap(properties);
    }

    /** The properties by Spring Boot's property name (equal whatever the dashes), built once. */
    synchronized Map<ConfigurationPropertyName, Property> byName() {
        if (byName == null) {
            Map<ConfigurationPropertyName, Property> map = new HashMap<>();
            properties.values().forEach(p -> {
                ConfigurationPropertyName n = ConfigurationPropertyName.ofIfValid(p.name());
                if (n != null) {
                    map.putIfAbsent(n, p);
                }
            });
            byName = map;
        }
        return byName;
    }

    /** Names of the health contributors its {@code *HealthIndicator} classes register, by Spring Boot's naming. */
    Set<String> healthIndicators() {
        return Collections.unmodifiableSet(healthIndicators);
    }

    /** File names of the libraries in {@code BOOT-INF/lib}. */
    List<String> libraries() {
        return Collections.unmodifiableList(libraries);
    }

    /** Whether the service is a meshrpc node (it runs meshrpc-common's auto-configuration). */
    boolean isMeshNode() {
        return properties.containsKey("meshrpc.zmq.port");
    }

    boolean hasLibrary(String artifactId) {
        return libraries.stream().anyMatch(l -> l.startsWith(artifactId + "-"));
    }

    private static ServiceJar load(Repo.Module module) {
        Path jar = locate(module);
        ServiceJar sj = new ServiceJar(module, jar);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                // the application's own metadata: Spring Boot's repackaging moves META-INF to the jar's root
                if (name.equals(METADATA) || name.equals("BOOT-INF/classes/" + METADATA)) {
                    try (InputStream in = zip.getInputStream(e)) {
                        sj.readMetadata(in);
                    }
                } else if (name.startsWith("BOOT-INF/classes/")) {
                    sj.noteClass(name);
                } else if (name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
                    sj.libraries.add(name.substring("BOOT-INF/lib/".length()));
                    sj.readLibrary(zip, e);
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + jar, ex);
        }
        if (sj.properties.isEmpty()) {
            throw new IllegalStateException(jar + " has no configuration metadata");
        }
        return sj;
    }

    /**
     * A nested library: copied out (Spring Boot stores nested jars uncompressed, so this is a plain copy)
     * and opened by its central directory, which lists its classes and finds the metadata without
     * inflating the rest.
     */
    private void readLibrary(ZipFile outer, ZipEntry entry) throws IOException {
        Path tmp = Files.createTempFile("deploy-check-lib", ".jar");
        try {
            try (InputStream in = outer.getInputStream(entry)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            try (ZipFile lib = new ZipFile(tmp.toFile())) {
                Enumeration<? extends ZipEntry> entries = lib.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry n = entries.nextElement();
                    if (n.getName().equals(METADATA)) {
                        try (InputStream in = lib.getInputStream(n)) {
                            readMetadata(in);
                        }
                    } else {
                        noteClass(n.getName());
                    }
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void noteClass(String entry) {
        if (!entry.endsWith("HealthIndicator.class")) {
            return;
        }
        String simple = entry.substring(entry.lastIndexOf('/') + 1, entry.length() - ".class".length());
        if (simple.contains("$") || simple.startsWith("Abstract") || simple.startsWith("ConditionalOn")
                || simple.equals("HealthIndicator") || simple.equals("ReactiveHealthIndicator")) {
            return;
        }
        // Spring Boot names a contributor after its bean, "<name>HealthIndicator" -> "<name>"
        String base = simple.substring(0, simple.length() - "HealthIndicator".length());
        healthIndicators.add(Character.toLowerCase(base.charAt(0)) + base.substring(1));
    }

    private void readMetadata(InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in.readAllBytes());
        for (JsonNode p : root.path("properties")) {
            String name = p.path("name").asText();
            String type = p.hasNonNull("type") ? p.get("type").asText() : null;
            String level = null;
            if (p.path("deprecated").asBoolean(false) || p.has("deprecation")) {
                level = p.path("deprecation").path("level").asText("warning");
            }
            Property prop = new Property(name, type, level);
            properties.merge(name, prop, (a, b) -> a.type() != null ? a : b);
        }
    }

    /**
     * The exec jar next to the plain jar Maven put on the test class path (the reactor's
     * {@code <module>/target}, or the local repository), else {@code <module>/target/*-exec.jar}.
     */
    private static Path locate(Repo.Module module) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String file = p.getFileName() == null ? "" : p.getFileName().toString();
            if (file.startsWith(module.artifactId() + "-") && file.endsWith(".jar") && !file.endsWith("-exec.jar")) {
                Path exec = p.resolveSibling(file.substring(0, file.length() - ".jar".length()) + "-exec.jar");
                if (Files.exists(exec)) {
                    return exec;
                }
            }
        }
        Path target = module.dir().resolve("target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                var found = files.filter(f -> f.getFileName().toString().endsWith("-exec.jar")).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        throw new IllegalStateException("no exec jar of " + module.name() + ": build it first (./mvnw -pl "
                + module.name() + " -am package)");
    }
}
