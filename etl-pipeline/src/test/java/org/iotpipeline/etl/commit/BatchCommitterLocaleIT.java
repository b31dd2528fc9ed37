package org.iotpipeline.etl.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iotpipeline.etl.testkit.EtlSparkExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committer's file names do not depend on the JVM's default locale. A batch committed under
 * ar-SA or fa-IR (whose default digits are not ASCII) leaves only ASCII names, and an ETL
 * restarted under another locale finds the batch's commit marker: Spark's replay of the batch is
 * skipped, not written a second time.
 */
class BatchCommitterLocaleIT {

    @RegisterExtension
    static final EtlSparkExtension spark = new EtlSparkExtension();

    private static final StructType SCHEMA = new StructType()
            .add("hour", DataTypes.IntegerType, false)
            .add("device_id", DataTypes.IntegerType, false)
            .add("value", DataTypes.DoubleType, false);
    private static final long BATCH_ID = 42;

    private final Locale originalDefault = Locale.getDefault();
    private final Locale originalFormat = Locale.getDefault(Locale.Category.FORMAT);
    private final Locale originalDisplay = Locale.getDefault(Locale.Category.DISPLAY);

    @TempDir
    Path root;

    @AfterEach
    void restoreDefaultLocale() {
        Locale.setDefault(originalDefault);
        Locale.setDefault(Locale.Category.FORMAT, originalFormat);
        Locale.setDefault(Locale.Category.DISPLAY, originalDisplay);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ar-SA", "fa-IR"})
    void aBatchCommittedUnderOneLocaleIsSkippedWhenReplayedUnderAnother(String languageTag) throws IOException {
        Dataset<Row> batch = spark.session().createDataFrame(List.of(
                RowFactory.create(3, 1, 1.5), RowFactory.create(3, 2, 2.5), RowFactory.create(4, 1, 3.5)), SCHEMA);
        useDefaultLocale(languageTag);

        CommitOutcome first = committer().commit(BATCH_ID, output(batch));

        assertThat(first.skipped()).isFalse();
        assertThat(first.rows()).isEqualTo(3);
        List<String> committed = dataFiles();
        assertThat(committed).hasSize(first.files());

        Locale.setDefault(Locale.ROOT);
        CommitOutcome replay = committer().commit(BATCH_ID, output(batch));

        assertThat(replay.skipped()).as("the replay under another locale finds the commit marker").isTrue();
        assertThat(dataFiles()).isEqualTo(committed);
        assertThat(allNames()).as("every name on disk").allMatch(BatchCommitterLocaleIT::isAscii)
                .contains("_batches/000000042.json")
                .anyMatch(name -> name.matches("hour=3/part-b000000042-[0-9a-f]{8}-0000[0-9]\\.parquet"));
    }

    private PartitionedOutput output(Dataset<Row> batch) {
        return new PartitionedOutput(batch, layout(root));
    }

    private BatchCommitter committer() {
        return new BatchCommitter(layout(root), spark.session().sparkContext().hadoopConfiguration(), FaultInjector.NONE);
    }

    private static OutputLayout layout(Path root) {
        return new OutputLayout("locale-test", root.toUri().toString(), "parquet", ".parquet",
                List.of("hour"), List.of("device_id"), 2, 10);
    }

    /** Sets the default locale, and checks the premise: this JDK then formats digits that are not ASCII. */
    private static void useDefaultLocale(String languageTag) {
        Locale.setDefault(Locale.forLanguageTag(languageTag));
        assertThat(String.format("%09d", BATCH_ID)).as("digits of %s on this JDK", languageTag).isNotEqualTo("000000042");
    }

    private List<String> dataFiles() throws IOException {
        return allNames().stream().filter(name -> name.endsWith(".parquet") && !name.startsWith("_")
                && !name.contains("/.") && !name.contains("/_")).toList();
    }

    /** Every file and directory under the output root, relative to it, sorted. */
    private List<String> allNames() throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(path -> !path.equals(root)).map(path -> root.relativize(path).toString()).sorted().toList();
        }
    }

    private static boolean isAscii(String name) {
        return name.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    }
}
