package org.iotpipeline.etl.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command-line tools end to end, as {@code scripts/compact.sh} and {@code scripts/inspect.sh}
 * run them: options, configuration, output, exit codes. CompactionMain starts and stops its own
 * SparkSession, so this class shares none.
 */
class CompactionCommandsIT {

    private static final HourPartition H10 = new HourPartition(2026, 3, 1, 10);
    private static final HourPartition H11 = new HourPartition(2026, 3, 1, 11);
    private static final HourPartition OPEN = new HourPartition(2026, 3, 1, 12);
    private static final String HORIZON = "2026-03-01T12:00:00Z";

    @TempDir
    java.nio.file.Path dir;
    private Config config;
    private MeasurementsStore store;

    @BeforeEach
    void stagingWithTwoClosedHoursAndAnOpenOne() throws IOException {
        config = ConfigFactory.defaultReference()
                .withValue("etl-pipeline.paths.staging", ConfigValueFactory.fromAnyRef(dir.resolve("staging").toString()))
                .withValue("etl-pipeline.paths.warehouse", ConfigValueFactory.fromAnyRef(dir.resolve("warehouse").toString()));
        Configuration conf = new Configuration();
        store = StorePaths.fromConfig(config).open(conf);
        for (int i = 0; i < 3; i++) {
            ParquetTestFiles.write(conf, store.stagingHourDir(H10), "part-b" + i + "-0.parquet", H10.start(), 4);
        }
        ParquetTestFiles.write(conf, store.stagingHourDir(H11), "part-b0-1.parquet", H11.start(), 5);
        ParquetTestFiles.write(conf, store.stagingHourDir(OPEN), "part-b0-2.parquet", OPEN.start(), 6);
    }

    @Test
    void compactAndInspectFromTheCommandLine() throws IOException {
        Run dryRun = run(out -> new CompactionMain(config, out), "--horizon", HORIZON, "--dry-run");
        assertThat(dryRun.exitCode()).isZero();
        assertThat(dryRun.output()).contains("would compact 2026-03-01T10 into v1: 0 warehouse + 3 staging files")
                .contains("would compact 2026-03-01T11 into v1").doesNotContain("would compact 2026-03-01T12");
        assertThat(Files.exists(dir.resolve("warehouse"))).isFalse();

        Run compaction = run(out -> new CompactionMain(config, out), "--horizon", HORIZON, "--hour", "2026-03-01T10",
                "--hour", "year=2026/month=3/day=1/hour=12");
        assertThat(compaction.exitCode()).isZero();
        assertThat(compaction.output()).contains("compacted 2026-03-01T10 into v1: 0 warehouse + 3 staging files")
                .contains("4 rows, 24 events") // three files of the same four windows: folded into one row each.contains("note: 2026-03-01T12 ends after the horizon")
                .doesNotContain("compacted 2026-03-01T11");
        assertThat(store.currentManifests()).containsOnlyKeys(H10);

        Run inspect = run(out -> new InspectMain(config, out), "--json");
        assertThat(inspect.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(inspect.output());
        assertThat(json.at("/hours/0/hour").asText()).isEqualTo("2026-03-01T10");
        assertThat(json.at("/hours/0/manifestVersion").asLong()).isEqualTo(1);
        assertThat(json.at("/hours/0/warehouse/rows").asLong()).isEqualTo(4);
        assertThat(json.at("/hours/0/absorbed/files").asInt()).isEqualTo(3);
        assertThat(json.at("/hours/1/staging/rows").asLong()).isEqualTo(5);
        assertThat(json.at("/hours/2/staging/rows").asLong()).isEqualTo(6);

        // Hour 10 is compacted, hour 11 (ended by 12:00) is not: the check names it and fails.
        Run check = run(out -> new InspectMain(config, out), "--require-compacted-until", HORIZON);
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.output()).contains("NOT COMPACTED: year=2026/month=3/day=1/hour=11 has no manifest")
                .doesNotContain("NOT COMPACTED: year=2026/month=3/day=1/hour=10")
                .contains("2 hours ended by 2026-03-01T12:00:00Z, 1 of them not read from a manifest alone");
        assertThat(run(out -> new InspectMain(config, out), "--require-compacted-until", "2026-03-01T11:00:00Z")
                .exitCode()).isZero();

        Run table = run(out -> new InspectMain(config, out), "--hour", "2026-03-01T11");
        assertThat(table.output()).contains("2026-03-01T11  staging").doesNotContain("2026-03-01T10  ");

        assertThat(run(out -> new CompactionMain(config, out), "--horizon", "yesterday").exitCode()).isEqualTo(2);
        assertThat(run(out -> new InspectMain(config, out), "--hour", "11 o'clock").exitCode()).isEqualTo(2);
    }

    private static Run run(Function<PrintStream, Callable<Integer>> command, String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            exitCode = new CommandLine(command.apply(out)).execute(args);
        }
        return new Run(exitCode, buffer.toString(StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String output) {
    }
}
