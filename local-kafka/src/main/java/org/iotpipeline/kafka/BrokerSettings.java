package org.iotpipeline.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how the local broker runs.
 *
 * @param host           the address the broker binds to and advertises
 * @param port           the client (PLAINTEXT) port
 * @param controllerPort the KRaft controller port; part of the quorum voters string, so it must be
 *                       fixed before start
 * @param dataDir        log and metadata directory; kept across restarts
 * @param overrides      any further broker properties, applied last
 */
public record BrokerSettings(String host, int port, int controllerPort, Path dataDir, Map<String, String> overrides) {

    public BrokerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        overrides = Map.copyOf(overrides);
        requirePort(port, "port");
        requirePort(controllerPort, "controllerPort");
        if (port == controllerPort) {
            throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
        }
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    private static void requirePort(int port, String name) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be in 1..65535, got " + port);
        }
    }
}
