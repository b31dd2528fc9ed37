package org.iotpipeline.gateway.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.iotpipeline.gateway.GatewaySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an unauthenticated gateway off the network by accident: with auth off and a bind address
 * that is not loopback, anyone who reaches the port writes any device's data, so the gateway does
 * not start unless {@code auth.allow-open-access} says this is meant (then it warns). Keys sent
 * over plain HTTP to such an address are warned about too.
 */
public final class OpenAccessGuard {

    private static final Logger log = LoggerFactory.getLogger(OpenAccessGuard.class);

    private OpenAccessGuard() {
    }

    /** @throws IllegalStateException if the settings would expose an open gateway without consent */
    public static void check(GatewaySettings settings) {
        boolean loopback = isLoopback(settings.host());
        if (!settings.auth().enabled() && !loopback) {
            if (!settings.auth().allowOpenAccess()) {
                throw new IllegalStateException("refusing to start without authentication on " + settings.host()
                        + ", which is not a loopback address: anyone who reaches the port could write any device's"
                        + " data. Turn on API keys (GATEWAY_AUTH_ENABLED=true, see event-gateway/README.md), bind"
                        + " to 127.0.0.1, or accept the risk with GATEWAY_ALLOW_OPEN_ACCESS=true");
            }
            log.warn("Authentication is OFF on {}, which is not a loopback address: anyone who reaches the port can"
                    + " write any device's data (event-gateway.auth.allow-open-access is on)", settings.host());
        }
        if (settings.auth().enabled() && !settings.tls().enabled() && !loopback) {
            log.warn("API keys are on but TLS is off on {}: keys travel in clear text; turn on event-gateway.tls"
                    + " or terminate TLS in front of the gateway", settings.host());
        }
    }

    /** Whether {@code host} names only loopback addresses (127.0.0.0/8, ::1, localhost). */
    static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false; // binding will fail and say why; not loopback is the safe answer
        }
    }
}
