package org.iotpipeline.query.console;

/**
 * The gateway as the pipeline page shows it, from its {@code /metrics}. Rates are per second since
 * the previous reading (null on the first one); totals are the gateway's counters since it started.
 *
 * @param url                   where it was read
 * @param up                    it answered
 * @param error                 why not (null when up)
 * @param acceptedPerSecond     events answered 202
 * @param rejectedPerSecond     invalid events answered 400
 * @param unavailablePerSecond  valid events answered 503 (Kafka unavailable, timeout, overloaded)
 * @param responses503PerSecond requests answered 503
 * @param inFlight              events sent to Kafka and not answered yet
 */
public record GatewayView(String url, boolean up, String error, Double acceptedPerSecond, Double rejectedPerSecond,
                          Double unavailablePerSecond, Double responses503PerSecond, Double acceptedTotal,
                          Double rejectedTotal, Double unavailableTotal, Double responses503Total, Double inFlight) {

    static GatewayView down(String url, String error) {
        return new GatewayView(url, false, error, null, null, null, null, null, null, null, null, null);
    }
}
