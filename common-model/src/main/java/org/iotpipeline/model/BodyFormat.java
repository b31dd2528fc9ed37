package org.iotpipeline.model;

import java.util.Locale;
import java.util.Optional;

/** How a body of events is laid out. */
public enum BodyFormat {
    /** One JSON object, or a JSON array of objects ({@code application/json}). */
    JSON("application/json"),
    /** One JSON object per line ({@code application/x-ndjson}); blank lines are ignored. */
    NDJSON("application/x-ndjson");

    private final String mediaType;

    BodyFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The format for a media type such as {@code application/json; charset=utf-8}, if we read it. */
    public static Optional<BodyFormat> forMediaType(String mediaType) {
        if (mediaType == null) {
            return Optional.empty();
        }
        String base = mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (BodyFormat format : values()) {
            if (format.mediaType.equals(base)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
