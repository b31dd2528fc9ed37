package org.iotpipeline.query.json;

import java.util.Locale;
import java.util.Optional;

/** How each result row is written: a JSON object keyed by column name, or an array in column order. */
public enum RowShape {
    /** {@code {"device_id": 7, "avg": 21.5}}; repeated column names get a suffix {@code #2}, {@code #3}, ... */
    OBJECTS,
    /** {@code [7, 21.5]}, in the order of {@code columns}. */
    ARRAYS;

    /** Parses {@code objects} or {@code arrays} (any case). */
    public static Optional<RowShape> parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "objects" -> Optional.of(OBJECTS);
            case "arrays" -> Optional.of(ARRAYS);
            default -> Optional.empty();
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
