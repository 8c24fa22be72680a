package io.meshrpc.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.DurationStyle;

/**
 * The defaults {@code docs/configuration.md} states are the ones a node gets: every row of its table
 * whose default is one plain value is checked against {@link MeshrpcProperties} bound from nothing,
 * which takes its defaults from the constants the node's builder uses. Docs, properties and builder
 * cannot drift apart.
 */
class DocumentedDefaultsTest {

    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    /** A table row: property, then a default that is one backticked value and nothing else. */
    private static final Pattern ROW = Pattern.compile("^\\| `(meshrpc\\.[a-z0-9.-]+)` \\| `([^`]+)` \\|");

    @Test
    void everyPlainDocumentedDefaultIsTheBoundDefault() throws IOException {
        MeshrpcProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("meshrpc", MeshrpcProperties.class);
        List<String> checked = new ArrayList<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher row = ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            Object value = valueAt(defaults, row.group(1).substring("meshrpc.".length()));
            if (value == NOT_A_PROPERTY) {
                continue; // documented here, bound elsewhere (meshrpc.http.*, meshrpc.observation.*)
            }
            assertThat(render(value)).as("default of %s in %s", row.group(1), DOC).isEqualTo(normal(row.group(2), value));
            checked.add(row.group(1));
        }
        assertThat(checked).as("rows checked").hasSizeGreaterThan(25)
                .contains("meshrpc.server.worker-threads", "meshrpc.zmq.ack-timeout", "meshrpc.amqp.confirm-timeout");
    }

    private static final Object NOT_A_PROPERTY = new Object();

    /** Follows {@code zmq.ack-timeout} through the records' components. */
    private static Object valueAt(Object properties, String path) {
        Object current = properties;
        for (String segment : path.split("\\.")) {
            RecordComponent component = component(current, camel(segment));
            if (component == null) {
                return NOT_A_PROPERTY;
            }
            try {
                current = component.getAccessor().invoke(current);
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return current;
    }

    private static RecordComponent component(Object value, String name) {
        if (value == null || !value.getClass().isRecord()) {
            return null;
        }
        for (RecordComponent c : value.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static String camel(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static String render(Object value) {
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        return String.valueOf(value);
    }

    /** The documented text in the form {@link #render} gives the bound value. */
    private static String normal(String documented, Object bound) {
        if (bound instanceof Duration) {
            return String.valueOf(DurationStyle.detectAndParse(documented));
        }
        return documented;
    }
}
