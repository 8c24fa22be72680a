package io.meshrpc.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The command line of {@code bin/bench}.
 *
 * <pre>
 *   --quick               3 s warm-up and 3 s measurement per scenario
 *   --json FILE           also write the results as a JSON list to FILE
 *   --scenarios a,b       run only these scenarios (default: all)
 *   --warmup SECONDS      override the warm-up per scenario
 *   --measure SECONDS     override the measurement per scenario
 * </pre>
 *
 * @param scenarios the scenarios asked for, in the order given; empty means all
 * @param json      where to write JSON, or {@code null}
 */
public record BenchOptions(boolean quick, Path json, Set<String> scenarios, Duration warmup, Duration measure,
                           boolean help) {

    static final Duration QUICK_WARMUP = Duration.ofSeconds(3);
    static final Duration QUICK_MEASURE = Duration.ofSeconds(3);
    static final Duration FULL_WARMUP = Duration.ofSeconds(10);
    static final Duration FULL_MEASURE = Duration.ofSeconds(30);

    static final String USAGE = """
            usage: bin/bench [--quick] [--json FILE] [--scenarios a,b,...] [--warmup S] [--measure S]
              --quick          short run for a first look: 3 s warm-up, 3 s measured per scenario
                               (default: 10 s warm-up, 30 s measured)
              --json FILE      also write the results as a JSON list of objects to FILE
              --scenarios LIST comma-separated scenario names (default: all)
              --warmup S       warm-up seconds per scenario
              --measure S      measured seconds per scenario""";

    /** Parses the arguments; throws {@link IllegalArgumentException} with a message for the user. */
    public static BenchOptions parse(String... args) {
        boolean quick = false;
        boolean help = false;
        Path json = null;
        Set<String> scenarios = new LinkedHashSet<>();
        Integer warmup = null;
        Integer measure = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--json" -> json = Path.of(value(args, ++i, "--json"));
                case "--scenarios" -> Arrays.stream(value(args, ++i, "--scenarios").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).forEach(scenarios::add);
                case "--warmup" -> warmup = seconds(value(args, ++i, "--warmup"), "--warmup", 0);
                case "--measure" -> measure = seconds(value(args, ++i, "--measure"), "--measure", 1);
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        Duration w = warmup != null ? Duration.ofSeconds(warmup) : quick ? QUICK_WARMUP : FULL_WARMUP;
        Duration m = measure != null ? Duration.ofSeconds(measure) : quick ? QUICK_MEASURE : FULL_MEASURE;
        return new BenchOptions(quick, json, Set.copyOf(scenarios), w, m, help);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int seconds(String value, String option, int min) {
        try {
            int s = Integer.parseInt(value);
            if (s < min) {
                throw new IllegalArgumentException(option + " must be at least " + min + ", was " + s);
            }
            return s;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(option + " takes whole seconds, was '" + value + "'");
        }
    }

    /** Whether {@code scenario} was asked for. */
    public boolean includes(String scenario) {
        return scenarios.isEmpty() || scenarios.contains(scenario);
    }
}
