package io.meshrpc.deploycheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Environment variables as Spring Boot reads them: through its own relaxed binding
 * ({@link SystemEnvironmentPropertySource} and its property mapper, e.g. {@code SPRING_RABBITMQ_HOST} is
 * {@code spring.rabbitmq.host}, {@code MESHRPC_ROUTING_DEFAULTPOLICY} is {@code meshrpc.routing.default-policy}),
 * checked against a service's configuration metadata.
 */
final class SpringEnv {

    /** Variables read by the JVM or by the image's entry point (Dockerfile), not by Spring. */
    static final Set<String> NOT_SPRING = Set.of("JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    /** A value that comes from the platform at run time (Kubernetes fieldRef, secretKeyRef, ...). */
    static final String RUNTIME_PREFIX = "$(runtime:";

    private SpringEnv() {
    }

    static String runtimeValue(String what) {
        return RUNTIME_PREFIX + what + ")";
    }

    static boolean isRuntime(String value) {
        return value != null && value.startsWith(RUNTIME_PREFIX);
    }

    /**
     * Checks every variable of one container's environment against the service's metadata. Returns the
     * problems, each naming {@code where}: a variable that binds no property the service reads, one that
     * binds a deprecated property, or a value that does not convert to the property's type.
     */
    static List<String> problems(String where, Map<String, String> env, ServiceJar jar) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String var = e.getKey();
            if (NOT_SPRING.contains(var)) {
                continue;
            }
            Optional<ServiceJar.Property> bound = propertyOf(var, jar);
            if (bound.isEmpty()) {
                problems.add(where + ": " + var + " binds no property that " + jar.module().name()
                        + " reads (its exec jar's configuration metadata)");
                continue;
            }
            ServiceJar.Property p = bound.get();
            if (p.deprecated()) {
                problems.add(where + ": " + var + " binds " + p.name() + ", deprecated (" + p.deprecationLevel() + ")");
            }
            String value = e.getValue();
            if (value != null && !isRuntime(value)) {
                String conversion = convert(var, value, p);
                if (conversion != null) {
                    problems.add(where + ": " + var + "=" + value + " " + conversion);
                }
            }
        }
        return problems;
    }

    /** The property of the metadata that the variable binds, if any. */
    static Optional<ServiceJar.Property> propertyOf(String var, ServiceJar jar) {
        ConfigurationPropertySource source = source(Map.of(var, "x"));
        Map<ConfigurationPropertyName, ServiceJar.Property> byName = jar.byName();
        // the names Spring maps the variable to: a property of that name, or an entry of a map property above it
        for (ConfigurationPropertyName n : ((IterableConfigurationPropertySource) source).stream().toList()) {
            ServiceJar.Property p = byName.get(n);
            if (p != null && !p.isMap()) {
                return Optional.of(p);
            }
            for (ConfigurationPropertyName a = n.getParent(); !a.isEmpty(); a = a.getParent()) {
                ServiceJar.Property map = byName.get(a);
                if (map != null && map.isMap()) {
                    return Optional.of(map);
                }
            }
        }
        // else ask from each property's side, as the binder does (covers the legacy forms, e.g. MY_PROP_NAME)
        for (Map.Entry<ConfigurationPropertyName, ServiceJar.Property> e : byName.entrySet()) {
            if (e.getValue().isMap()
                    ? source.containsDescendantOf(e.getKey()) == ConfigurationPropertyState.PRESENT
                    : source.getConfigurationProperty(e.getKey()) != null) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * The property of the metadata that a property name (as in {@code application.properties}) sets: that
     * property, or the map property above it ({@code management.metrics.distribution.percentiles-histogram.<meter>}).
     */
    static Optional<ServiceJar.Property> propertyNamed(String property, ServiceJar jar) {
        ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
        if (name == null) {
            return Optional.empty();
        }
        Map<ConfigurationPropertyName, ServiceJar.Property> byName = jar.byName();
        ServiceJar.Property p = byName.get(name);
        if (p != null && !p.isMap()) {
            return Optional.of(p);
        }
        for (ConfigurationPropertyName a = name.getParent(); !a.isEmpty(); a = a.getParent()) {
            ServiceJar.Property map = byName.get(a);
            if (map != null && map.isMap()) {
                return Optional.of(map);
            }
        }
        return Optional.empty();
    }

    /** The value a property gets from these variables, as Spring Boot resolves it. */
    static Optional<String> value(Map<String, String> env, String property) {
        ConfigurationProperty found = source(env).getConfigurationProperty(ConfigurationPropertyName.of(property));
        return found == null ? Optional.empty() : Optional.of(String.valueOf(found.getValue()));
    }

    /** The value from the environment, else from the module's application.properties. */
    static Optional<String> effective(Map<String, String> env, Properties applicationProperties, String property) {
        return value(env, property).or(() -> Optional.ofNullable(applicationProperties.getProperty(property)));
    }

    /** Binds the value to the property's declared type; null when it converts, else why not. */
    private static String convert(String var, String value, ServiceJar.Property p) {
        String type = p.type();
        if (type == null) {
            return null;
        }
        ConfigurationPropertySource source = source(Map.of(var, value));
        ConfigurationPropertyName name = ConfigurationPropertyName.of(p.name());
        if (p.isMap()) {
            // bind the map entry the variable names to the map's value type
            name = ((IterableConfigurationPropertySource) source).stream().findFirst().orElse(name);
            type = mapValueType(type);
        }
        Bindable<?> bindable = bindable(type);
        if (bindable == null) {
            return null; // a type not on this class path: the name was checked, the value cannot be
        }
        try {
            Object bound = new Binder(source).bind(name, bindable).orElse(null);
            return bound == null ? "does not bind to " + type : null;
        } catch (RuntimeException ex) {
            Throwable cause = ex;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            return "is not a valid " + type + " (" + cause.getMessage() + ")";
        }
    }

    private static Bindable<?> bindable(String type) {
        if (type.startsWith("java.util.List<") || type.startsWith("java.util.Set<")) {
            Class<?> element = load(type.substring(type.indexOf('<') + 1, type.length() - 1));
            if (element == null) {
                return null;
            }
            return type.startsWith("java.util.List<") ? Bindable.listOf(element) : Bindable.setOf(element);
        }
        if (type.contains("<")) {
            return null;
        }
        Class<?> cls = load(type);
        return cls == null ? null : Bindable.of(cls);
    }

    private static Class<?> load(String type) {
        try {
            return Class.forName(type, false, SpringEnv.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError ex) {
            return null;
        }
    }

    private static String mapValueType(String mapType) {
        String inner = mapType.substring("java.util.Map<".length(), mapType.length() - 1);
        int depth = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (c == ',' && depth == 0) {
                return inner.substring(i + 1).trim();
            }
        }
        return "java.lang.Object";
    }

    private static ConfigurationPropertySource source(Map<String, String> env) {
        Map<String, Object> copy = new LinkedHashMap<>(env);
        copy.values().removeIf(v -> v == null);
        return ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, copy));
    }
}
