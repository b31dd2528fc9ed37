package org.iotpipeline.gateway.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A set of device ids written as ranges, {@code 0-99,150,200-299}, or {@code *} for every id.
 * Kept sorted and merged, so {@link #contains(int)} is a binary search.
 *
 * @param ranges disjoint, sorted, non-adjacent ranges; empty never (a key for no device is useless)
 */
public record DeviceRanges(List<Range> ranges) {

    /** Every device id 0..2147483647. */
    public static final DeviceRanges ALL = new DeviceRanges(List.of(new Range(0, Integer.MAX_VALUE)));

    /** Ids {@code first..last}, both included. */
    public record Range(int first, int last) {

        public Range {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("a device range needs 0 <= first <= last, got " + first + "-" + last);
            }
        }

        @Override
        public String toString() {
            return first == last ? Integer.toString(first) : first + "-" + last;
        }
    }

    public DeviceRanges {
        ranges = merge(Objects.requireNonNull(ranges, "ranges is null"));
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("a key must cover at least one device");
        }
    }

    /**
     * Parses {@code *} or comma-separated ids and {@code first-last} ranges (ids 0..2147483647).
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static DeviceRanges parse(String text) {
        String trimmed = Objects.requireNonNull(text, "text is null").trim();
        if (trimmed.equals("*")) {
            return ALL;
        }
        List<Range> ranges = new ArrayList<>();
        for (String part : trimmed.split(",", -1)) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                if (dash < 0) {
                    int id = parseId(p);
                    ranges.add(new Range(id, id));
                } else {
                    ranges.add(new Range(parseId(p.substring(0, dash).trim()), parseId(p.substring(dash + 1).trim())));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("device ids \"" + text + "\": \"" + p + "\" is not an id or a range"
                        + " first-last of ids in 0..2147483647 (or use * for every device)", e);
            }
        }
        return new DeviceRanges(ranges);
    }

    public boolean contains(int deviceId) {
        int low = 0;
        int high = ranges.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            Range range = ranges.get(mid);
            if (deviceId < range.first()) {
                high = mid - 1;
            } else if (deviceId > range.last()) {
                low = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** The canonical text, as {@link #parse(String)} reads it. */
    @Override
    public String toString() {
        return equals(ALL) ? "*" : ranges.stream().map(Range::toString).collect(Collectors.joining(","));
    }

    // Only ASCII digits: Integer.parseInt would also take other scripts' digits (STACK.md).
    private static int parseId(String text) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a device id: \"" + text + "\"");
        }
        long value = Long.parseLong(text);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("device id above 2147483647: " + text);
        }
        return (int) value;
    }

    private static List<Range> merge(List<Range> input) {
        List<Range> sorted = new ArrayList<>(input);
        sorted.sort(Comparator.comparingInt(Range::first));
        List<Range> merged = new ArrayList<>();
        for (Range range : sorted) {
            Range last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && (long) range.first() <= (long) last.last() + 1) {
                merged.set(merged.size() - 1, new Range(last.first(), Math.max(last.last(), range.last())));
            } else {
                merged.add(range);
            }
        }
        return List.copyOf(merged);
    }
}
