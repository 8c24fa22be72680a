package io.meshrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void quickIsShortAndDefaultsToEveryScenario() {
        BenchOptions options = BenchOptions.parse("--quick", "--json", "out/bench.json");
        assertThat(options.warmup()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.measure()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.json()).isEqualTo(Path.of("out/bench.json"));
        assertThat(options.includes("zmq-cast")).isTrue();
    }

    @Test
    void scenariosAndDurationsCanBeChosen() {
        BenchOptions options = BenchOptions.parse("--scenarios", "zmq-call, raw-zmq-echo", "--measure", "7");
        assertThat(options.includes("zmq-call")).isTrue();
        assertThat(options.includes("zmq-cast")).isFalse();
        assertThat(options.measure()).isEqualTo(Duration.ofSeconds(7));
        assertThat(options.warmup()).isEqualTo(BenchOptions.FULL_WARMUP);
    }

    @Test
    void mistakesAreExplained() {
        assertThatThrownBy(() -> BenchOptions.parse("--json")).hasMessageContaining("--json needs a value");
        assertThatThrownBy(() -> BenchOptions.parse("--fast")).hasMessageContaining("unknown option '--fast'");
        assertThatThrownBy(() -> BenchOptions.parse("--measure", "0")).hasMessageContaining("at least 1");
    }

    @Test
    void comparedScenariosAreMeasuredInThreeRoundsUnlessAskedOtherwise() {
        assertThat(BenchOptions.parse().rounds()).isEqualTo(3);
        assertThat(BenchOptions.parse("--rounds", "1").rounds()).isEqualTo(1);
        assertThatThrownBy(() -> BenchOptions.parse("--rounds", "0")).hasMessageContaining("between 1 and 30");
        assertThatThrownBy(() -> BenchOptions.parse("--rounds", "two")).hasMessageContaining("whole number");
    }

    @Test
    void unknownScenarioNamesAreRefused() {
        assertThat(BenchMain.run(new String[] {"--scenarios", "zmq-nope"})).isEqualTo(2);
    }
}
