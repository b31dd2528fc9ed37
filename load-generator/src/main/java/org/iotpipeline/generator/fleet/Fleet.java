package org.iotpipeline.generator.fleet;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.iotpipeline.model.Event;

/**
 * The simulated devices: ids {@code firstDeviceId .. firstDeviceId + devices - 1}, each with
 * metrics {@code 0 .. metricsPerDevice - 1}, whose values come from the {@link ValueModel}.
 *
 * <p>The events of one timestamp come device by device, metric by metric, so over a run of
 * increasing timestamps every device's events are in timestamp order.
 */
public record Fleet(int firstDeviceId, int devices, int metricsPerDevice, ValueModel model) {

    public Fleet {
        if (firstDeviceId < 0) {
            throw new IllegalArgumentException("firstDeviceId must not be negative, got " + firstDeviceId);
        }
        if (devices < 1 || metricsPerDevice < 1) {
            throw new IllegalArgumentException("devices and metricsPerDevice must be at least 1, got "
                    + devices + " and " + metricsPerDevice);
        }
        if ((long) firstDeviceId + devices - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("device ids would pass 2147483647: firstDeviceId " + firstDeviceId
                    + " + devices " + devices);
        }
    }

    /** Events per timestamp (one tick of the whole fleet). */
    public long eventsPerTick() {
        return (long) devices * metricsPerDevice;
    }

    /** Every device's every metric at {@code timestamp}, computed lazily as it is iterated. */
    public Iterable<Event> eventsAt(long timestamp) {
        return () -> new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < eventsPerTick();
            }

            @Override
            public Event next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int deviceId = firstDeviceId + (int) (next / metricsPerDevice);
                int metricId = (int) (next % metricsPerDevice);
                next++;
                return new Event(deviceId, metricId, timestamp, model.valueAt(deviceId, metricId, timestamp));
            }
        };
    }
}
