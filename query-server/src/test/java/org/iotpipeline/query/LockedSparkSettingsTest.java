package org.iotpipeline.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.iotpipeline.query.execution.Redaction;
import org.junit.jupiter.api.Test;

class LockedSparkSettingsTest {

    @Test
    void theConfigurationCannotTurnTheLockedSettingsBack() {
        Map<String, String> conf = LockedSparkSettings.applyTo(Map.of(
                "spark.sql.variable.substitute", "true",
                "spark.sql.runSQLOnFiles", "true",
                "spark.executor.killOnFatalError.depth", "5",
                "spark.sql.redaction.string.regex", "nothing",
                "spark.sql.shuffle.partitions", "3"));

        assertThat(conf).containsEntry("spark.sql.variable.substitute", "false")
                .containsEntry("spark.sql.runSQLOnFiles", "false")
                .containsEntry("spark.executor.killOnFatalError.depth", "0")
                .containsEntry("spark.sql.redaction.string.regex", Redaction.LOCATIONS)
                .containsEntry("spark.sql.shuffle.partitions", "3");
    }

    @Test
    void redactsFileSystemLocationsOnly() {
        assertThat(Redaction.redact("Location: InMemoryFileIndex(2 paths)[file:/tmp/x/year=2026/a.parquet, "
                + "hdfs://nn:8020/w/b], PartitionFilters: [(hour#1 = 3)]"))
                .isEqualTo("Location: InMemoryFileIndex(2 paths)[*********(redacted), *********(redacted)],"
                        + " PartitionFilters: [(hour#1 = 3)]");
        assertThat(Redaction.redact("File file:/data/x.parquet does not exist")).doesNotContain("/data");
        assertThat(Redaction.redact("profile:/x and s3a://bucket/key")).isEqualTo("profile:/x and *********(redacted)");
    }
}
