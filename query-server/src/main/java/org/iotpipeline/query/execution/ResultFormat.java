package org.iotpipeline.query.execution;

import java.util.Locale;
import java.util.Optional;

/** What {@code POST /query?format=} answers. */
public enum ResultFormat {
    /** One JSON document ({@link org.iotpipeline.model.QueryResult}), at most maxRows rows. */
    JSON,
    /** Streamed: one JSON row per line ({@code application/x-ndjson}). */
    NDJSON,
    /** Streamed: RFC 4180 CSV with a header line ({@code text/csv}). */
    CSV;

    public static Optional<ResultFormat> parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "json" -> Optional.of(JSON);
            case "ndjson" -> Optional.of(NDJSON);
            case "csv" -> Optional.of(CSV);
            default -> Optional.empty();
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
