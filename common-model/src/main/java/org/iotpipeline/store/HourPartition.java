package org.iotpipeline.store;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One hour partition of table {@code measurements}: {@code year=YYYY/month=M/day=D/hour=H} of
 * {@code window_start}, UTC, without zero padding (as Spark's partition discovery writes and reads
 * int partition columns).
 */
public record HourPartition(int year, int month, int day, int hour) implements Comparable<HourPartition> {

    private static final Pattern PATH = Pattern.compile("year=(\\d+)/month=(\\d+)/day=(\\d+)/hour=(\\d+)");
    private static final Comparator<HourPartition> ORDER = Comparator.comparingInt(HourPartition::year)
            .thenComparingInt(HourPartition::month).thenComparingInt(HourPartition::day)
            .thenComparingInt(HourPartition::hour);

    public HourPartition {
        // Rejects month 13, February 30, hour 24, ...
        LocalDateTime.of(year, month, day, hour, 0);
    }

    /** The hour that contains an instant (UTC). */
    public static HourPartition containing(Instant instant) {
        LocalDateTime time = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        return new HourPartition(time.getYear(), time.getMonthValue(), time.getDayOfMonth(), time.getHour());
    }

    /**
     * Parses the partition part of a path, e.g. {@code year=2026/month=11/day=29/hour=3}.
     *
     * @return empty if the text is not exactly such a path or names an impossible hour
     */
    public static Optional<HourPartition> fromRelativePath(String relativePath) {
        Matcher matcher = PATH.matcher(relativePath);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new HourPartition(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                    Integer.parseInt(matcher.group(3)), Integer.parseInt(matcher.group(4))));
        } catch (RuntimeException e) {
            return Optional.empty(); // out-of-range numbers: not one of our partitions
        }
    }

    /** Inclusive start of the hour. */
    public Instant start() {
        return LocalDateTime.of(year, month, day, hour, 0).toInstant(ZoneOffset.UTC);
    }

    /** Exclusive end of the hour. */
    public Instant end() {
        return start().plusSeconds(3600);
    }

    /** {@code year=2026/month=11/day=29/hour=3}. */
    public String relativePath() {
        return "year=" + year + "/month=" + month + "/day=" + day + "/hour=" + hour;
    }

    @Override
    public int compareTo(HourPartition other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return relativePath();
    }
}
