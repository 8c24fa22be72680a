package io.meshrpc.deploycheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml read as Docker Compose reads it without any variable set: YAML with merge keys,
 * then {@code ${VAR:-default}} interpolation from the defaults.
 */
final class Compose {

    static final String FILE = "docker-compose.yml";
    static final String MESHRPC_IMAGE = "meshrpc/";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");
    private static final Pattern URL = Pattern.compile("https?://(localhost|127\\.0\\.0\\.1):(\\d+)(/\\S*)?");

    private Compose() {
    }

    /** One service of the compose file. */
    record Service(String name, Map<String, Object> raw) {

        /**
         * The Maven module its image is built from: the build arg SERVICE, or, for a service that runs an
         * image another service builds (a second replica), the module its {@code meshrpc/<module>} image names.
         */
        Optional<String> module() {
            if (builds()) {
                return Optional.of(String.valueOf(((Map<?, ?>) build().get("args")).get("SERVICE")));
            }
            String image = image();
            return image != null && image.startsWith(MESHRPC_IMAGE)
                    ? Optional.of(image.substring(MESHRPC_IMAGE.length(), image.indexOf(':')))
                    : Optional.empty();
        }

        /** Whether this service builds its image from the Dockerfile (build arg SERVICE). */
        boolean builds() {
            return build().get("args") instanceof Map<?, ?> args && args.get("SERVICE") != null;
        }

        Map<?, ?> build() {
            return raw.get("build") instanceof Map<?, ?> b ? b : Map.of();
        }

        /** The image, interpolated. */
        String image() {
            return raw.get("image") == null ? null : interpolate(String.valueOf(raw.get("image")));
        }

        /** The environment, interpolated (map or list form). */
        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            Object e = raw.get("environment");
            if (e instanceof Map<?, ?> m) {
                m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : interpolate(String.valueOf(v))));
            } else if (e instanceof List<?> l) {
                for (Object item : l) {
                    String s = interpolate(String.valueOf(item));
                    int eq = s.indexOf('=');
                    env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
                }
            }
            return env;
        }

        /** Published ports: (host port or null, container port). */
        List<int[]> ports() {
            List<int[]> out = new ArrayList<>();
            if (raw.get("ports") instanceof List<?> l) {
                for (Object item : l) {
                    if (item instanceof Map<?, ?> m) {
                        Object published = m.get("published");
                        out.add(new int[] {published == null ? -1 : Integer.parseInt(interpolate(String.valueOf(published))),
                                Integer.parseInt(String.valueOf(m.get("target")))});
                    } else {
                        String s = interpolate(String.valueOf(item));
                        s = s.contains("/") ? s.substring(0, s.indexOf('/')) : s;
                        String[] parts = s.split(":");
                        int container = Integer.parseInt(parts[parts.length - 1]);
                        int host = parts.length >= 2 ? Integer.parseInt(parts[parts.length - 2]) : -1;
                        out.add(new int[] {host, container});
                    }
                }
            }
            return out;
        }

        /** The healthcheck's command as one string, or null. */
        String healthcheckCommand() {
            if (raw.get("healthcheck") instanceof Map<?, ?> h && h.get("test") != null) {
                Object test = h.get("test");
                return test instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList())
                        : String.valueOf(test);
            }
            return null;
        }

        /** Port and path of the local URL the healthcheck requests, if it requests one. */
        Optional<Map.Entry<Integer, String>> healthcheckUrl() {
            String cmd = healthcheckCommand();
            if (cmd == null) {
                return Optional.empty();
            }
            Matcher m = URL.matcher(cmd);
            return m.find() ? Optional.of(Map.entry(Integer.parseInt(m.group(2)), m.group(3) == null ? "/" : m.group(3)))
                    : Optional.empty();
        }

        List<String> dependsOn() {
            Object d = raw.get("depends_on");
            if (d instanceof Map<?, ?> m) {
                return m.keySet().stream().map(String::valueOf).toList();
            }
            if (d instanceof List<?> l) {
                return l.stream().map(String::valueOf).toList();
            }
            return List.of();
        }

        String string(String key) {
            return raw.get(key) == null ? null : interpolate(String.valueOf(raw.get(key)));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> document() {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Repo.read(FILE));
        if (!(doc instanceof Map)) {
            throw new IllegalStateException(FILE + " is not a YAML mapping");
        }
        return (Map<String, Object>) doc;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Service> services() {
        Map<String, Service> out = new LinkedHashMap<>();
        Object services = document().get("services");
        if (services instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), new Service(String.valueOf(k), (Map<String, Object>) v)));
        }
        return out;
    }

    /** Docker Compose interpolation with no variable set: defaults apply, {@code $$} is a dollar. */
    static String interpolate(String value) {
        String escaped = value.replace("$$", "\u0000");
        Matcher m = VARIABLE.matcher(escaped);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String op = m.group(2);
            String replacement = op != null && op.endsWith("-") ? m.group(3) : "";
            if (op != null && op.endsWith("?")) {
                throw new IllegalStateException("variable " + m.group(1) + " is required: " + m.group(3));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString().replace("\u0000", "$");
    }

    /** Names of the variables used without a default (an unset one becomes the empty string). */
    static List<String> variablesWithoutDefault(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = VARIABLE.matcher(text.replace("$$", ""));
        while (m.find()) {
            if (m.group(2) == null || !m.group(2).endsWith("-")) {
                out.add(m.group(1));
            }
        }
        Matcher bare = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)").matcher(text.replace("$$", ""));
        while (bare.find()) {
            out.add(bare.group(1));
        }
        return out;
    }
}
