package org.iotpipeline.etl.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.iotpipeline.etl.compaction.StoreInspector.FileGroup;
import org.iotpipeline.etl.compaction.StoreInspector.HourInspection;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inspect reads footers only: files written here with plain parquet-hadoop, no Spark. */
class StoreInspectorTest {

    private static final HourPartition H1 = new HourPartition(2026, 3, 1, 10);
    private static final HourPartition H2 = new HourPartition(2026, 3, 1, 11);

    @TempDir
    java.nio.file.Path root;
    private MeasurementsStore store;
    private final Configuration conf = new Configuration();
    private ByteArrayOutputStream buffer;

    @BeforeEach
    void open() throws IOException {
        store = MeasurementsStore.open(root.resolve("staging").toUri().toString(), root.resolve("warehouse").toUri().toString(),
                conf);
    }

    @Test
    void reportsEachAreaOfEachHourFromTheFooters() throws IOException {
        write(store.stagingHourDir(H1), "part-b1.parquet", H1.start(), 3);
        write(store.stagingHourDir(H1), "part-b2.parquet", H1.start().plusSeconds(1800), 2);
        write(store.warehouseHourDir(H1), "part-c1.parquet", H1.start(), 3);
        write(store.warehouseHourDir(H1), "part-c0-crashed.parquet", H1.start(), 1);
        store.publishManifest(H1, new HourManifest(1, List.of("part-c1.parquet"), List.of("part-b1.parquet"), 3, 3, 1L));
        write(store.stagingHourDir(H2), "part-b3.parquet", H2.start().plusSeconds(600), 4);

        List<HourInspection> hours = new StoreInspector(store, new ParquetFooters(conf)).inspect(hour -> true);

        assertThat(hours).hasSize(2);
        HourInspection h1 = hours.get(0);
        assertThat(h1.manifestVersion()).isEqualTo(1);
        assertGroup(h1.staging(), 1, 2, H1.start().plusSeconds(1800), H1.start().plusSeconds(1800 + 300));
        assertGroup(h1.absorbed(), 1, 3, H1.start(), H1.start().plusSeconds(600));
        assertGroup(h1.warehouse(), 1, 3, H1.start(), H1.start().plusSeconds(600));
        assertGroup(h1.leftovers(), 1, 1, H1.start(), H1.start());
        assertThat(hours.get(1).manifestVersion()).isZero();
        assertGroup(hours.get(1).staging(), 1, 4, H2.start().plusSeconds(600), H2.start().plusSeconds(600 + 900));

        JsonNode json = new ObjectMapper().readTree(print(report -> report.printJson(stream())));
        assertThat(json.at("/hours/0/hour").asText()).isEqualTo("2026-03-01T10");
        assertThat(json.at("/hours/0/manifestVersion").asLong()).isEqualTo(1);
        assertThat(json.at("/hours/0/warehouse/rows").asLong()).isEqualTo(3);
        assertThat(json.at("/hours/0/staging/minWindowStart").asText()).isEqualTo("2026-03-01T10:30:00Z");
        assertThat(json.at("/hours/1/manifestVersion").isNull()).isTrue();
        assertThat(json.at("/totals/staging/rows").asLong()).isEqualTo(6);

        String table = print(report -> report.printTable(stream()));
        assertThat(table).contains("2026-03-01T10  warehouse        1       1           3")
                .contains("readers see 9 rows");
    }

    private PrintStream stream() {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private String print(ReportPrinter printer) throws IOException {
        buffer = new ByteArrayOutputStream();
        printer.print(new InspectionReport(store, new StoreInspector(store, new ParquetFooters(conf)).inspect(hour -> true)));
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private interface ReportPrinter {
        void print(InspectionReport report) throws IOException;
    }

    private static void assertGroup(FileGroup group, int files, long rows, Instant min, Instant max) {
        assertThat(group.files()).isEqualTo(files);
        assertThat(group.rows()).isEqualTo(rows);
        assertThat(group.bytes()).isPositive();
        assertThat(group.minWindowStart()).isEqualTo(Optional.of(min));
        assertThat(group.maxWindowStart()).isEqualTo(Optional.of(max));
    }

    private void write(Path dir, String name, Instant first, int rows) throws IOException {
        ParquetTestFiles.write(conf, dir, name, first, rows);
    }
}
