package org.iotpipeline.gateway.ingest;

/**
 * The devices one request may write events for, as its caller's credentials allow. Ingestion
 * refuses a request holding an event of any other device (nothing of it is written).
 */
public interface DeviceScope {

    /** Every device: the gateway runs without authentication. */
    DeviceScope ALL = new DeviceScope() {
        @Override
        public boolean permits(int deviceId) {
            return true;
        }

        @Override
        public String describe() {
            return "every device";
        }
    };

    boolean permits(int deviceId);

    /** Who holds this scope and what it covers, for the answer that refuses a device. */
    String describe();
}
