package org.iotpipeline.generator.ledger;

/**
 * The acknowledged events of one device and metric in one window.
 *
 * @param deviceId    the device
 * @param metricId    the metric
 * @param windowStart start of the tumbling window, epoch ms UTC, aligned to the epoch
 * @param count       distinct acknowledged events in the window
 * @param sum         sum of their values
 */
public record LedgerWindow(int deviceId, int metricId, long windowStart, long count, double sum) {
}
