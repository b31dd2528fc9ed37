package org.iotpipeline.query.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    /** As Micrometer writes it for the gateway (format 0.0.4), with the odd lines a parser meets. */
    private static final String TEXT = """
            # HELP gateway_events_accepted_total events answered 202
            # TYPE gateway_events_accepted_total counter
            gateway_events_accepted_total 1234.0
            gateway_http_requests_seconds_count{method="POST",path="/events",status="202",} 40.0
            gateway_http_requests_seconds_count{method="POST",path="/events",status="503",} 3.0
            gateway_http_requests_seconds_count{method="GET",path="/ready",status="503",} 2.0
            gateway_events_unavailable_total{reason="kafka_failed"} 5.0
            gateway_events_unavailable_total{reason="timeout"} 7.0
            odd_label{text="a \\"quoted\\", comma} value"} 1.5 1764000000000
            etl_watermark_seconds 1.7640003E9
            not_a_number NaN
            infinite +Inf
            broken{label="unterminated 3.0
            garbage line without value

            """;

    private final PrometheusText metrics = PrometheusText.parse(TEXT);

    @Test
    void sumsASampleOverItsLabelSets() {
        assertThat(metrics.sum("gateway_events_accepted_total")).hasValue(1234.0);
        assertThat(metrics.sum("gateway_events_unavailable_total")).hasValue(12.0);
        assertThat(metrics.sum("gateway_http_requests_seconds_count")).hasValue(45.0);
        assertThat(metrics.sum("etl_watermark_seconds")).hasValue(1.7640003E9);
    }

    @Test
    void filtersByLabels() {
        assertThat(metrics.sum("gateway_http_requests_seconds_count", Map.of("status", "503"))).hasValue(5.0);
        assertThat(metrics.sum("gateway_http_requests_seconds_count", Map.of("status", "503", "path", "/events")))
                .hasValue(3.0);
        assertThat(metrics.sum("gateway_http_requests_seconds_count", Map.of("status", "418"))).isEmpty();
    }

    @Test
    void readsEscapedLabelValuesAndIgnoresTimestamps() {
        assertThat(metrics.samples()).filteredOn(sample -> sample.name().equals("odd_label")).singleElement()
                .satisfies(sample -> {
                    assertThat(sample.labels()).containsExactly(Map.entry("text", "a \"quoted\", comma} value"));
                    assertThat(sample.value()).isEqualTo(1.5);
                });
    }

    @Test
    void knowsNaNAndInfinityAndSkipsLinesThatAreNotSamples() {
        assertThat(metrics.sum("not_a_number").getAsDouble()).isNaN();
        assertThat(metrics.sum("infinite")).hasValue(Double.POSITIVE_INFINITY);
        assertThat(metrics.sum("broken")).isEmpty();
        assertThat(metrics.sum("garbage")).isEmpty();
        assertThat(metrics.sum("missing")).isEmpty();
        assertThat(metrics.samples()).hasSize(10);
    }
}
