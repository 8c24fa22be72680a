package io.meshrpc.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * The Kubernetes manifests in {@code k8s/}: every YAML document of every file but the kustomization, raw and
 * as fabric8's typed model objects.
 */
final class Kube {

    static final String DIR = "k8s";
    static final String KUSTOMIZATION = "kustomization.yaml";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Kube() {
    }

    /** One YAML document of a manifest file. */
    record Doc(String file, int index, Map<String, Object> raw) {

        String kind() {
            return String.valueOf(raw.get("kind"));
        }

        String name() {
            return raw.get("metadata") instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : null;
        }

        String where() {
            return DIR + "/" + file + " #" + index + " (" + kind() + " " + name() + ")";
        }

        /** fabric8's typed object for this document (its class chosen from apiVersion and kind). */
        KubernetesResource typed() {
            return MAPPER.convertValue(raw, KubernetesResource.class);
        }
    }

    static Path dir() {
        return Repo.file(DIR);
    }

    /** The manifest files (every *.yaml and *.yml of k8s/ but the kustomization), by name. */
    static List<String> manifestFiles() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> (f.endsWith(".yaml") || f.endsWith(".yml")) && !f.equals(KUSTOMIZATION))
                    .sorted().toList();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> kustomization() {
        return (Map<String, Object>) yaml().load(Repo.read(DIR + "/" + KUSTOMIZATION));
    }

    static List<Doc> docs() {
        List<Doc> out = new ArrayList<>();
        for (String file : manifestFiles()) {
            out.addAll(parse(file, Repo.read(DIR + "/" + file)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Doc> parse(String file, String text) {
        List<Doc> out = new ArrayList<>();
        int i = 0;
        for (Object o : yaml().loadAll(text)) {
            i++;
            if (o == null) {
                continue; // an empty document (a trailing ---)
            }
            if (!(o instanceof Map)) {
                throw new IllegalStateException(file + " #" + i + " is not a YAML mapping");
            }
            out.add(new Doc(file, i, (Map<String, Object>) o));
        }
        return out;
    }

    static <T extends HasMetadata> List<T> typed(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Doc d : docs()) {
            KubernetesResource r = d.typed();
            if (type.isInstance(r)) {
                out.add(type.cast(r));
            }
        }
        return out;
    }

    /**
     * A container's environment as the process sees it: envFrom ConfigMaps and Secrets first, then env
     * (which wins). Values from the platform (fieldRef, secretKeyRef, ...) are {@link SpringEnv#runtimeValue}
     * placeholders naming their source.
     */
    static Map<String, String> environment(Container c, List<ConfigMap> configMaps, List<Secret> secrets) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : c.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getConfigMapRef() != null) {
                configMap(configMaps, from.getConfigMapRef().getName())
                        .forEach((k, v) -> env.put(prefix + k, v));
            }
            if (from.getSecretRef() != null) {
                secret(secrets, from.getSecretRef().getName()).forEach((k, v) -> env.put(prefix + k, v));
            }
        }
        for (EnvVar v : c.getEnv()) {
            EnvVarSource src = v.getValueFrom();
            if (src == null) {
                env.put(v.getName(), v.getValue());
            } else if (src.getFieldRef() != null) {
                env.put(v.getName(), SpringEnv.runtimeValue("fieldRef " + src.getFieldRef().getFieldPath()));
            } else if (src.getSecretKeyRef() != null) {
                env.put(v.getName(), SpringEnv.runtimeValue("secretKeyRef " + src.getSecretKeyRef().getName() + "/"
                        + src.getSecretKeyRef().getKey()));
            } else if (src.getConfigMapKeyRef() != null) {
                env.put(v.getName(), configMap(configMaps, src.getConfigMapKeyRef().getName())
                        .get(src.getConfigMapKeyRef().getKey()));
            } else {
                env.put(v.getName(), SpringEnv.runtimeValue(String.valueOf(src)));
            }
        }
        return env;
    }

    static Map<String, String> configMap(List<ConfigMap> configMaps, String name) {
        return configMaps.stream().filter(m -> name.equals(m.getMetadata().getName())).findFirst()
                .map(m -> m.getData() == null ? Map.<String, String>of() : m.getData())
                .orElseThrow(() -> new IllegalStateException("no ConfigMap " + name + " in " + DIR + "/"));
    }

    static Map<String, String> secret(List<Secret> secrets, String name) {
        Secret s = secrets.stream().filter(m -> name.equals(m.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Secret " + name + " in " + DIR + "/"));
        Map<String, String> out = new LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v))));
        }
        if (s.getStringData() != null) {
            out.putAll(s.getStringData());
        }
        return out;
    }

    /**
     * Paths of fields that fabric8's model did not know (kept in an "additionalProperties" map): a misspelt or
     * misplaced field that the API server would reject or silently drop.
     */
    static List<String> unknownFields(Object model) {
        List<String> out = new ArrayList<>();
        walk(model, "", out);
        return out;
    }

    private static void walk(Object o, String path, List<String> out) {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, out));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(o);
            } catch (ReflectiveOperationException ex) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> out.add(path + "." + k));
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            walk(value, path + "." + field, out);
        }
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }
}
