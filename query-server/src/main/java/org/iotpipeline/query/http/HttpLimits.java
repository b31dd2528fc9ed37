package org.iotpipeline.query.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on the HTTP listener ({@code query-server.http}).
 *
 * @param maxConnections connections open at once; one more is answered 503 and closed
 * @param idleTimeout    a connection with no request in flight (idle keep-alive, or a request whose
 *                       headers are still trickling in) is closed after this long
 */
public record HttpLimits(int maxConnections, Duration idleTimeout) {

    public HttpLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout is null");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("query-server.http.max-connections must be at least 1, got "
                    + maxConnections);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("query-server.http.idle-timeout must be positive, got " + idleTimeout);
        }
    }
}
