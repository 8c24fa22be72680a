package io.meshrpc.deploycheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The meters {@code docs/metrics.md} documents (its tables: meter, type, tags; and the observation timers
 * named in its text), and the Prometheus series each becomes with Micrometer's Prometheus naming: dots become
 * underscores, a counter gets {@code _total}, a timer {@code _seconds_bucket|count|sum|max}, a time gauge
 * {@code _seconds}, a gauge stays as it is.
 */
final class DocumentedMeters {

    static final String FILE = "docs/metrics.md";

    /** Labels every scraped series has (Prometheus' target labels). */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private static final Pattern NAME = Pattern.compile("`(meshrpc(?:\\.[a-z0-9_]+)+)`");
    private static final Pattern TICKED = Pattern.compile("`([a-z][a-z0-9_.]*)`");

    enum Type {
        COUNTER, TIMER, GAUGE, TIME_GAUGE
    }

    /** One documented meter; {@code tags} null where the docs name them only in prose (not checked). */
    record Meter(String name, Type type, Set<String> tags) {

        String base() {
            return name.replace('.', '_');
        }

        /** Its Prometheus series names, each with the labels it carries (null: not known). */
        Map<String, Set<String>> series() {
            Map<String, Set<String>> out = new LinkedHashMap<>();
            Set<String> labels = null;
            if (tags != null) {
                labels = new LinkedHashSet<>();
                for (String tag : tags) {
                    labels.add(tag.replace('.', '_'));
                }
                labels.addAll(TARGET_LABELS);
            }
            switch (type) {
                case COUNTER -> out.put(base() + "_total", labels);
                case GAUGE -> out.put(base(), labels);
                case TIME_GAUGE -> out.put(base() + "_seconds", labels);
                case TIMER -> {
                    Set<String> bucket = labels == null ? null : new LinkedHashSet<>(labels);
                    if (bucket != null) {
                        bucket.add("le");
                    }
                    out.put(base() + "_seconds_bucket", bucket);
                    out.put(base() + "_seconds_count", labels);
                    out.put(base() + "_seconds_sum", labels);
                    out.put(base() + "_seconds_max", labels);
                }
                default -> throw new IllegalStateException(type.toString());
            }
            return out;
        }
    }

    private DocumentedMeters() {
    }

    static List<Meter> read() {
        return parse(Repo.read(FILE));
    }

    static List<Meter> parse(String markdown) {
        Map<String, Meter> meters = new LinkedHashMap<>();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("|")) {
                String[] cells = line.split("\\|", -1);
                if (cells.length < 5) {
                    continue;
                }
                Matcher name = NAME.matcher(cells[1].trim());
                Type type = type(cells[2].trim());
                if (name.matches() && type != null) {
                    meters.putIfAbsent(name.group(1), new Meter(name.group(1), type, tags(cells[3])));
                }
            } else if (line.contains(" timers")) {
                // prose: "... as `meshrpc.send` and `meshrpc.handle` timers (plus `.active` ...) tagged ..."
                String before = line.substring(0, line.indexOf(" timers"));
                Matcher name = NAME.matcher(before);
                while (name.find()) {
                    meters.putIfAbsent(name.group(1), new Meter(name.group(1), Type.TIMER, null));
                }
            }
        }
        return new ArrayList<>(meters.values());
    }

    private static Type type(String cell) {
        return switch (cell) {
            case "counter" -> Type.COUNTER;
            case "timer" -> Type.TIMER;
            case "gauge" -> Type.GAUGE;
            case "time gauge" -> Type.TIME_GAUGE;
            default -> null;
        };
    }

    /** The tag names of a tags cell: the ticked names outside parentheses (inside are their values). */
    private static Set<String> tags(String cell) {
        StringBuilder outside = new StringBuilder();
        int depth = 0;
        for (char c : cell.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0) {
                outside.append(c);
            }
        }
        Set<String> tags = new LinkedHashSet<>();
        Matcher m = TICKED.matcher(outside);
        while (m.find()) {
            tags.add(m.group(1));
        }
        return tags;
    }
}
