package io.meshrpc.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
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
 *   --rounds N            interleaved rounds a compared group's measurement is split into (default 3)
 *   --fleet-sizes N,M     node counts of the matchmaker-fleet rows
 * </pre>
 *
 * @param scenarios the scenarios asked for, in the order given; empty means all
 * @param json      where to write JSON, or {@code null}
 * @param fleetSizes node counts of the {@code matchmaker-fleet-<N>} rows
 * @param fleetWarmup  a fleet row's steady state before its window: {@code --warmup} if given, else 60 s (10 s quick)
 * @param fleetMeasure the measured window of a fleet row: {@code --measure} if given, else 60 s (20 s quick)
 * @param rounds    the rounds a group of compared scenarios is measured in, interleaved ({@link ScenarioRunner})
 */
public record BenchOptions(boolean quick, Path json, Set<String> scenarios, Duration warmup, Duration measure,
                           boolean help, List<Integer> fleetSizes, Duration fleetWarmup, Duration fleetMeasure,
                           int rounds) {

    /** Three rounds: enough to cancel a drift of the machine's speed, long enough each to settle. */
    static final int DEFAULT_ROUNDS = 3;
    static final int MAX_ROUNDS = 30;

    static final Duration QUICK_WARMUP = Duration.ofSeconds(3);
    static final Duration QUICK_MEASURE = Duration.ofSeconds(3);
    static final Duration FULL_WARMUP = Duration.ofSeconds(10);
    static final Duration FULL_MEASURE = Duration.ofSeconds(30);
    static final Duration QUICK_FLEET_WARMUP = Duration.ofSeconds(10);
    static final Duration FULL_FLEET_WARMUP = Duration.ofSeconds(60);
    static final Duration QUICK_FLEET_MEASURE = Duration.ofSeconds(20);
    static final Duration FULL_FLEET_MEASURE = Duration.ofSeconds(60);

    static final String USAGE = """
            usage: bin/bench [--quick] [--json FILE] [--scenarios a,b,...] [--warmup S] [--measure S]
                             [--rounds N] [--fleet-sizes N,M,...]
              --quick          short run for a first look: 3 s warm-up, 3 s measured per scenario
                               (default: 10 s warm-up, 30 s measured)
              --json FILE      also write the results as a JSON list of objects to FILE
              --scenarios LIST comma-separated scenario names (default: all but matchmaker-fleet,
                               matchmaker-fleet-<N> and matchmaker-fleet-1000-full-refresh)
              --warmup S       warm-up seconds per scenario (matchmaker-fleet rows: default 60, quick 10)
              --measure S      measured seconds per scenario (matchmaker-fleet rows: default 60, quick 20)
              --rounds N       measure each meshrpc scenario and its baseline in N interleaved rounds of
                               S/N seconds each (default 3; 1 measures every scenario in one piece)
              --fleet-sizes L  node counts of the matchmaker-fleet-<N> rows (default 1000,5000,10000,20000)""";

    /** Parses the arguments; throws {@link IllegalArgumentException} with a message for the user. */
    public static BenchOptions parse(String... args) {
        boolean quick = false;
        boolean help = false;
        Path json = null;
        Set<String> scenarios = new LinkedHashSet<>();
        Integer warmup = null;
        Integer measure = null;
        List<Integer> fleetSizes = FleetBench.DEFAULT_SIZES;
        int rounds = DEFAULT_ROUNDS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--json" -> json = Path.of(value(args, ++i, "--json"));
                case "--scenarios" -> Arrays.stream(value(args, ++i, "--scenarios").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).forEach(scenarios::add);
                case "--warmup" -> warmup = seconds(value(args, ++i, "--warmup"), "--warmup", 0);
                case "--measure" -> measure = seconds(value(args, ++i, "--measure"), "--measure", 1);
                case "--fleet-sizes" -> fleetSizes = sizes(value(args, ++i, "--fleet-sizes"));
                case "--rounds" -> rounds = rounds(value(args, ++i, "--rounds"));
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        Duration w = warmup != null ? Duration.ofSeconds(warmup) : quick ? QUICK_WARMUP : FULL_WARMUP;
        Duration m = measure != null ? Duration.ofSeconds(measure) : quick ? QUICK_MEASURE : FULL_MEASURE;
        Duration fleetWarmup = warmup != null ? w : quick ? QUICK_FLEET_WARMUP : FULL_FLEET_WARMUP;
        Duration fleetMeasure = measure != null ? m : quick ? QUICK_FLEET_MEASURE : FULL_FLEET_MEASURE;
        return new BenchOptions(quick, json, Set.copyOf(scenarios), w, m, help, fleetSizes, fleetWarmup, fleetMeasure,
                rounds);
    }

    private static int rounds(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1 || n > MAX_ROUNDS) {
                throw new IllegalArgumentException("--rounds must be between 1 and " + MAX_ROUNDS + ", was " + n);
            }
            return n;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("--rounds takes a whole number, was '" + value + "'");
        }
    }

    private static List<Integer> sizes(String value) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : value.split(",")) {
            String size = part.trim().replace("_", "");
            try {
                int n = Integer.parseInt(size);
                if (n < 50 || n > 1_000_000) {
                    throw new IllegalArgumentException("--fleet-sizes: " + n + " is not between 50 and 1000000");
                }
                if (!sizes.contains(n)) {
                    sizes.add(n);
                }
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("--fleet-sizes takes node counts like 1000,5000, was '" + value + "'");
            }
        }
        return List.copyOf(sizes);
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
