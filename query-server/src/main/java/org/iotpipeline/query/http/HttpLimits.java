package org.iotpipeline.query.http;

import java.time.Duration;
import org.iotpipeline.config.SettingChecks;

/**
 * Bounds on the HTTP listener ({@code query-server.http}).
 *
 * @param maxConnections connections open at once; one more is answered 503 and closed
 * @param idleTimeout    a connection with no request in flight (idle keep-alive, or a request whose
 *                       headers are still trickling in) is closed after this long
 */
public record HttpLimits(int maxConnections, Duration idleTimeout) {

    public HttpLimits {
        SettingChecks.atLeast("query-server.http.max-connections", maxConnections, 1);
        SettingChecks.positive("query-server.http.idle-timeout", idleTimeout);
    }
}
