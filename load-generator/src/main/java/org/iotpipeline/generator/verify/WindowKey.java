package org.iotpipeline.generator.verify;

/** One (device, metric, window) cell, the unit both the ledger and table measurements count in. */
record WindowKey(int deviceId, int metricId, long windowStart) {
}
