package org.iotpipeline.etl.testkit;

import java.time.Instant;

/** One row of the measurements table as read back, for exact comparisons. */
public record MeasurementRow(Instant windowStart, Instant windowEnd, int deviceId, int metricId, long eventCount,
                             double valueSum, double valueMin, double valueMax, double valueAvg,
                             int year, int month, int day, int hour) {

    /** The row a window of the given events must produce (window of 5 minutes unless told otherwise). */
    public static MeasurementRow of(String windowStart, int minutes, int device, int metric, double... values) {
        return of(windowStart, minutes * 60_000L, device, metric, values);
    }

    /** The row a window of {@code windowMs} holding the given values must produce. */
    public static MeasurementRow of(String windowStart, long windowMs, int device, int metric, double... values) {
        Instant start = Instant.parse(windowStart);
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        var utc = start.atZone(java.time.ZoneOffset.UTC);
        return new MeasurementRow(start, start.plusMillis(windowMs), device, metric, values.length, sum, min, max,
                sum / values.length, utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth(), utc.getHour());
    }
}
