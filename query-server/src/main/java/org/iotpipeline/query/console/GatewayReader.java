package org.iotpipeline.query.console;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/** Turns the gateway's {@code /metrics} (docs of event-gateway, "Metrics") into a {@link GatewayView}. */
final class GatewayReader {

    static final String ACCEPTED = "gateway_events_accepted_total";
    static final String REJECTED = "gateway_events_rejected_total";
    static final String UNAVAILABLE = "gateway_events_unavailable_total";
    static final String REQUESTS = "gateway_http_requests_seconds_count";
    static final String IN_FLIGHT = "gateway_events_in_flight";
    private static final String KEY = "gateway.";

    private final CounterRates rates;

    GatewayReader(CounterRates rates) {
        this.rates = Objects.requireNonNull(rates, "rates is null");
    }

    GatewayView read(String url, Instant at, String metricsText) {
        PrometheusText metrics = PrometheusText.parse(metricsText);
        OptionalDouble accepted = metrics.sum(ACCEPTED);
        OptionalDouble rejected = metrics.sum(REJECTED);
        OptionalDouble unavailable = metrics.sum(UNAVAILABLE);
        // A gateway that never answered 503 has no such series yet: zero, not unknown.
        OptionalDouble responses503 = OptionalDouble.of(metrics.sum(REQUESTS, Map.of("status", "503")).orElse(0));
        return new GatewayView(url, true, null,
                boxed(rates.update(KEY + ACCEPTED, at, accepted)),
                boxed(rates.update(KEY + REJECTED, at, rejected)),
                boxed(rates.update(KEY + UNAVAILABLE, at, unavailable)),
                boxed(rates.update(KEY + "responses503", at, responses503)),
                boxed(accepted), boxed(rejected), boxed(unavailable), boxed(responses503),
                boxed(metrics.sum(IN_FLIGHT)));
    }

    GatewayView down(String url, String error) {
        rates.forget(KEY);
        return GatewayView.down(url, error);
    }

    static Double boxed(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }
}
