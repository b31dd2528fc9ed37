package org.iotpipeline.query.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns the ETL admin endpoint's {@code /status} (JSON, etl-pipeline/README.md "Admin endpoint")
 * and {@code /metrics} into an {@link EtlView}.
 */
final class EtlReader {

    static final String RECORDS_READ = "etl_records_read_total";
    static final String DEAD_LETTERS = "etl_dead_letters_total";
    private static final String MEASUREMENTS_QUERY = "measurements";
    private static final String KEY = "etl.";

    private final CounterRates rates;
    private final ObjectMapper mapper;

    EtlReader(CounterRates rates, ObjectMapper mapper) {
        this.rates = Objects.requireNonNull(rates, "rates is null");
        this.mapper = Objects.requireNonNull(mapper, "mapper is null");
    }

    /**
     * @param metricsText the {@code /metrics} text, or empty when it could not be read ({@code metricsError} says why)
     */
    EtlView read(String url, Instant at, String statusJson, Optional<String> metricsText, Optional<String> metricsError) {
        JsonNode status;
        try {
            status = mapper.readTree(statusJson);
        } catch (JsonProcessingException e) {
            return down(url, "/status is not JSON: " + e.getOriginalMessage());
        }
        JsonNode queries = status.path("queries");
        JsonNode measurements = null;
        boolean healthy = queries.isArray() && !queries.isEmpty();
        for (JsonNode query : queries) {
            healthy &= query.path("active").asBoolean(false);
            if (MEASUREMENTS_QUERY.equals(query.path("name").asText())) {
                measurements = query;
            }
        }
        JsonNode totals = status.path("totals");
        JsonNode compaction = status.path("compaction");
        String watermark = text(status.path("watermark"));
        PrometheusText metrics = PrometheusText.parse(metricsText.orElse(""));
        OptionalDouble recordsRead = metricsText.isPresent() ? metrics.sum(RECORDS_READ) : OptionalDouble.empty();
        OptionalDouble deadLetters = metricsText.isPresent() ? metrics.sum(DEAD_LETTERS) : OptionalDouble.empty();
        return new EtlView(url, true, metricsError.map(e -> "/metrics: " + e).orElse(null), healthy,
                GatewayReader.boxed(rates.update(KEY + RECORDS_READ, at, recordsRead)),
                measurements == null ? null : number(measurements.path("inputRowsPerSecond")),
                measurements == null ? null : number(measurements.path("processedRowsPerSecond")),
                measurements == null ? null : integer(measurements.path("kafkaLag")),
                watermark, freshness(at, watermark),
                measurements == null ? null : text(measurements.path("lastProgressAt")),
                integer(totals.path("deadLetters")),
                GatewayReader.boxed(rates.update(KEY + DEAD_LETTERS, at, deadLetters)),
                integer(totals.path("lateEvents")), integer(totals.path("droppedLate")),
                integer(compaction.path("runs")), integer(compaction.path("failures")),
                text(compaction.path("lastRunAt")), text(compaction.path("lastError")));
    }

    EtlView down(String url, String error) {
        rates.forget(KEY);
        return EtlView.down(url, error);
    }

    /** Seconds from the watermark to {@code at}, to a tenth; null without a watermark. */
    private static Double freshness(Instant at, String watermark) {
        if (watermark == null) {
            return null;
        }
        try {
            long millis = Duration.between(Instant.parse(watermark), at).toMillis();
            return Math.round(millis / 100.0) / 10.0;
        } catch (DateTimeParseException e) {
            // Not an instant as the ETL writes them: no freshness to show, the watermark text still is.
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static Double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : null;
    }

    private static Long integer(JsonNode node) {
        return node.isIntegralNumber() ? node.asLong() : null;
    }
}
