package io.meshrpc.launcher.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command line: positional words and {@code --name value} / {@code --name=value} options.
 * Every option a command reads is marked used; {@link #rejectUnused()} then names any option the
 * user typed that no command understood, instead of ignoring a typo.
 */
public final class Args {

    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();

    private Args() {
    }

    public static Args parse(String... argv) {
        Args args = new Args();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--")) {
                String body = a.substring(2);
                int eq = body.indexOf('=');
                if (eq >= 0) {
                    args.options.put(body.substring(0, eq), body.substring(eq + 1));
                } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                    args.options.put(body, argv[++i]);
                } else {
                    args.options.put(body, "true");
                }
            } else {
                args.positional.add(a);
            }
        }
        return args;
    }

    public List<String> positional() {
        return positional;
    }

    public String positional(int index, String orElse) {
        return index < positional.size() ? positional.get(index) : orElse;
    }

    public String option(String name, String orElse) {
        used.add(name);
        return options.getOrDefault(name, orElse);
    }

    public boolean has(String name) {
        used.add(name);
        return options.containsKey(name);
    }

    /** Options whose name starts with {@code prefix} (e.g. {@code spring.rabbitmq.}), marked used. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                used.add(k);
                found.put(k, v);
            }
        });
        return found;
    }

    public int intOption(String name, int orElse, int min, int max) {
        String value = option(name, null);
        if (value == null) {
            return orElse;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new UsageException("--" + name + " must be " + min + ".." + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException ex) {
            throw new UsageException("--" + name + " must be a number, was '" + value + "'");
        }
    }

    public void rejectUnused() {
        for (String name : options.keySet()) {
            if (!used.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
        }
    }
}
