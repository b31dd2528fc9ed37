package org.iotpipeline.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.iotpipeline.config.SettingChecks;

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
        SettingChecks.text("host", host);
        SettingChecks.port("port", port);
        SettingChecks.port("controllerPort", controllerPort);
        Objects.requireNonNull(dataDir, "dataDir is null");
        overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides is null"));
        if (port == controllerPort) {
            throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
        }
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }
}
