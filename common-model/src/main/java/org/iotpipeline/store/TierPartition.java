package org.iotpipeline.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One partition of a {@link Tier}: a day of {@link Tier#HOURLY} ({@code year=Y/month=M/day=D}) or
 * a month of {@link Tier#DAILY} ({@code year=Y/month=M}; {@code day} is 0). UTC, no zero padding.
 */
public record TierPartition(Tier tier, int year, int month, int day) implements Comparable<TierPartition> {

    private static final Pattern DAY = Pattern.compile("year=(\\d+)/month=(\\d+)/day=(\\d+)");
    private static final Pattern MONTH = Pattern.compile("year=(\\d+)/month=(\\d+)");
    private static final Comparator<TierPartition> ORDER = Comparator.comparing(TierPartition::tier)
            .thenComparingInt(TierPartition::year).thenComparingInt(TierPartition::month)
            .thenComparingInt(TierPartition::day);

    public TierPartition {
        Objects.requireNonNull(tier, "tier is null");
        if (tier == Tier.HOURLY) {
            LocalDate.of(year, month, day); // rejects February 30
        } else if (day != 0) {
            throw new IllegalArgumentException("a month partition has day 0, got " + day);
        } else {
            LocalDate.of(year, month, 1);
        }
    }

    /** The partition of {@code tier} that holds an instant (UTC). */
    public static TierPartition containing(Tier tier, Instant instant) {
        LocalDate date = LocalDate.ofInstant(instant, ZoneOffset.UTC);
        return new TierPartition(tier, date.getYear(), date.getMonthValue(), tier == Tier.HOURLY ? date.getDayOfMonth() : 0);
    }

    /** The partition of {@code tier} holding a 5-minute hour (hourly) or an hourly day (daily). */
    public static TierPartition of(Tier tier, HourPartition hour) {
        return containing(tier, hour.start());
    }

    /** Parses {@code year=2026/month=11/day=29} (hourly) or {@code year=2026/month=11} (daily); empty if not one. */
    public static Optional<TierPartition> fromRelativePath(Tier tier, String relativePath) {
        Matcher matcher = (tier == Tier.HOURLY ? DAY : MONTH).matcher(relativePath);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TierPartition(tier, Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                    tier == Tier.HOURLY ? Integer.parseInt(matcher.group(3)) : 0));
        } catch (RuntimeException e) {
            return Optional.empty(); // out-of-range numbers: not one of our partitions
        }
    }

    /** Inclusive start. */
    public Instant start() {
        return LocalDate.of(year, month, tier == Tier.HOURLY ? day : 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Exclusive end. */
    public Instant end() {
        LocalDate first = LocalDate.of(year, month, tier == Tier.HOURLY ? day : 1);
        return (tier == Tier.HOURLY ? first.plusDays(1) : first.plusMonths(1)).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Whether an instant lies in the partition. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(start()) && instant.isBefore(end());
    }

    public String relativePath() {
        return "year=" + year + "/month=" + month + (tier == Tier.HOURLY ? "/day=" + day : "");
    }

    @Override
    public int compareTo(TierPartition other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return tier.table() + "/" + relativePath();
    }
}
