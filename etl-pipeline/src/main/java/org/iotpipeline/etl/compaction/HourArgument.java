package org.iotpipeline.etl.compaction;

import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.iotpipeline.store.HourPartition;
import picocli.CommandLine;

/**
 * Parses an hour given on the command line: {@code 2026-11-29T03} (UTC) or the partition path
 * {@code year=2026/month=11/day=29/hour=3}.
 */
final class HourArgument implements CommandLine.ITypeConverter<HourPartition> {

    @Override
    public HourPartition convert(String value) {
        if (value.startsWith("year=")) {
            return HourPartition.fromRelativePath(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "'" + value + "' is not an hour partition like year=2026/month=11/day=29/hour=3"));
        }
        try {
            LocalDateTime time = LocalDateTime.parse(value + ":00");
            return new HourPartition(time.getYear(), time.getMonthValue(), time.getDayOfMonth(), time.getHour());
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not an hour like 2026-11-29T03 (UTC) or year=2026/month=11/day=29/hour=3");
        }
    }

    /** {@code 2026-11-29T03}, the short form people type. */
    static String format(HourPartition hour) {
        return String.format(Locale.ROOT, "%04d-%02d-%02dT%02d", hour.year(), hour.month(), hour.day(), hour.hour());
    }
}
