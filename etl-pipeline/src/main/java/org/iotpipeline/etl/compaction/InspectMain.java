package org.iotpipeline.etl.compaction;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/inspect.sh}: per hour, what staging and warehouse hold (files, rows, bytes,
 * window_start range), from listings and Parquet footers only; no Spark.
 */
@Command(name = "inspect.sh", sortOptions = false,
        description = {"Shows, per hour, the staging files still to compact, the staging files already absorbed "
                + "(deleted after the grace), the current warehouse version and warehouse leftovers: files, rows, "
                + "bytes and window_start range, read from Parquet footers.",
                "Paths come from etl-pipeline.paths (STAGING_PATH, WAREHOUSE_PATH)."})
public final class InspectMain implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    private boolean json;

    @Option(names = "--hour", converter = HourArgument.class, paramLabel = "HOUR",
            description = "Only this hour: 2026-11-29T03 (UTC) or year=2026/month=11/day=29/hour=3. Repeatable.")
    private List<HourPartition> hours = List.of();

    @Option(names = "--require-compacted-until", paramLabel = "INSTANT",
            description = {"Exit 1 unless every hour that ended at or before INSTANT (ISO-8601, e.g. "
                    + "2026-11-29T04:00:00Z) is read from a published manifest alone: compacted, with no staging file "
                    + "left to absorb. Lists the hours that are not."})
    private Instant compactedUntil;

    private final Config config;
    private final PrintStream out;

    /**
     * @param config the resolved configuration ({@code etl-pipeline.paths})
     * @param out    where the table or JSON goes
     */
    InspectMain(Config config, PrintStream out) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.out = Objects.requireNonNull(out, "out is null");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new InspectMain(ConfigFactory.load(), System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        MeasurementsStore store = StorePaths.fromConfig(config).open(new Configuration());
        Set<HourPartition> selected = Set.copyOf(hours);
        List<StoreInspector.HourInspection> found = new StoreInspector(store, new ParquetFooters(new Configuration()))
                .inspect(hour -> selected.isEmpty() || selected.contains(hour));
        InspectionReport report = new InspectionReport(store, found);
        if (json) {
            report.printJson(out);
        } else {
            report.printTable(out);
        }
        if (compactedUntil == null) {
            return 0;
        }
        List<String> notCompacted = notCompacted(found, compactedUntil);
        notCompacted.forEach(line -> out.println("NOT COMPACTED: " + line));
        out.printf(java.util.Locale.ROOT, "%d hours ended by %s, %d of them not read from a manifest alone%n",
                found.stream().filter(h -> !h.hour().end().isAfter(compactedUntil)).count(), compactedUntil,
                notCompacted.size());
        return notCompacted.isEmpty() ? 0 : 1;
    }

    /** The hours ended by {@code until} that have no manifest or staging files a manifest has not absorbed. */
    static List<String> notCompacted(List<StoreInspector.HourInspection> hours, Instant until) {
        return hours.stream()
                .filter(h -> !h.hour().end().isAfter(until))
                .filter(h -> h.manifestVersion() == 0 || h.staging().files() > 0)
                .map(h -> h.hour() + (h.manifestVersion() == 0 ? " has no manifest" : " manifest v" + h.manifestVersion()
                        + " but " + h.staging().files() + " staging file(s) not absorbed"))
                .toList();
    }
}
