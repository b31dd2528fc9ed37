package org.iotpipeline.etl.compaction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.iotpipeline.etl.compaction.StoreInspector.FileGroup;
import org.iotpipeline.etl.compaction.StoreInspector.HourInspection;
import org.iotpipeline.store.MeasurementsStore;

/** Prints {@link StoreInspector}'s findings as a table or as JSON. */
final class InspectionReport {

    private static final String ROW = "%-13s  %-9s  %7s  %6s  %10s  %10s  %-20s  %-20s%n";

    private final MeasurementsStore store;
    private final List<HourInspection> hours;

    InspectionReport(MeasurementsStore store, List<HourInspection> hours) {
        this.store = store;
        this.hours = List.copyOf(hours);
    }

    /** One line per hour and non-empty area, then totals per area. */
    void printTable(PrintStream out) {
        out.printf(Locale.ROOT, "staging:   %s%nwarehouse: %s%n%n", store.stagingRoot(), store.warehouseRoot());
        out.printf(Locale.ROOT, ROW, "HOUR", "AREA", "VERSION", "FILES", "ROWS", "BYTES", "MIN WINDOW_START", "MAX WINDOW_START");
        Totals totals = new Totals();
        for (HourInspection hour : hours) {
            String name = HourArgument.format(hour.hour());
            String version = hour.manifestVersion() == 0 ? "-" : Long.toString(hour.manifestVersion());
            line(out, name, "staging", "-", hour.staging());
            line(out, name, "absorbed", "-", hour.absorbed());
            if (hour.manifestVersion() > 0) {
                line(out, name, "warehouse", version, hour.warehouse());
            }
            line(out, name, "leftover", "-", hour.leftovers());
            totals.add(hour);
        }
        out.println();
        forceLine(out, "TOTAL", "staging", "-", totals.staging);
        forceLine(out, "TOTAL", "absorbed", "-", totals.absorbed);
        forceLine(out, "TOTAL", "warehouse", "-", totals.warehouse);
        forceLine(out, "TOTAL", "leftover", "-", totals.leftovers);
        out.printf(Locale.ROOT, "%n%d hours; readers see %d rows (staging + warehouse)%n", hours.size(),
                totals.staging.rows() + totals.warehouse.rows());
    }

    void printJson(PrintStream out) throws java.io.IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("staging", store.stagingRoot().toString());
        root.put("warehouse", store.warehouseRoot().toString());
        var array = root.putArray("hours");
        Totals totals = new Totals();
        for (HourInspection hour : hours) {
            ObjectNode node = array.addObject();
            node.put("hour", HourArgument.format(hour.hour()));
            node.put("partition", hour.hour().relativePath());
            node.put("start", hour.hour().start().toString());
            if (hour.manifestVersion() > 0) {
                node.put("manifestVersion", hour.manifestVersion());
            } else {
                node.putNull("manifestVersion");
            }
            group(node.putObject("staging"), hour.staging());
            group(node.putObject("absorbed"), hour.absorbed());
            group(node.putObject("warehouse"), hour.warehouse());
            group(node.putObject("leftovers"), hour.leftovers());
            totals.add(hour);
        }
        ObjectNode total = root.putObject("totals");
        group(total.putObject("staging"), totals.staging);
        group(total.putObject("absorbed"), totals.absorbed);
        group(total.putObject("warehouse"), totals.warehouse);
        group(total.putObject("leftovers"), totals.leftovers);
        out.println(mapper.writeValueAsString(root));
    }

    private static void group(ObjectNode node, FileGroup group) {
        node.put("files", group.files());
        node.put("rows", group.rows());
        node.put("bytes", group.bytes());
        instant(node, "minWindowStart", group.minWindowStart());
        instant(node, "maxWindowStart", group.maxWindowStart());
    }

    private static void instant(ObjectNode node, String field, Optional<Instant> value) {
        if (value.isPresent()) {
            node.put(field, value.get().toString());
        } else {
            node.putNull(field);
        }
    }

    private static void line(PrintStream out, String hour, String area, String version, FileGroup group) {
        if (group.files() > 0) {
            forceLine(out, hour, area, version, group);
        }
    }

    private static void forceLine(PrintStream out, String hour, String area, String version, FileGroup group) {
        out.printf(Locale.ROOT, ROW, hour, area, version, group.files(), group.rows(), Sizes.human(group.bytes()),
                group.minWindowStart().map(Instant::toString).orElse("-"),
                group.maxWindowStart().map(Instant::toString).orElse("-"));
    }

    private static final class Totals {
        FileGroup staging = FileGroup.EMPTY;
        FileGroup absorbed = FileGroup.EMPTY;
        FileGroup warehouse = FileGroup.EMPTY;
        FileGroup leftovers = FileGroup.EMPTY;

        void add(HourInspection hour) {
            staging = staging.plus(hour.staging());
            absorbed = absorbed.plus(hour.absorbed());
            warehouse = warehouse.plus(hour.warehouse());
            leftovers = leftovers.plus(hour.leftovers());
        }
    }
}
