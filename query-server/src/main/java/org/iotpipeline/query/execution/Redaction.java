package org.iotpipeline.query.execution;

import java.util.regex.Pattern;

/**
 * Hides file system locations (host paths of the store, Spark's warehouse) in text a client gets:
 * Spark applies {@link #LOCATIONS} to EXPLAIN output ({@code spark.sql.redaction.string.regex}),
 * and the server to the messages of errors it passes on.
 */
public final class Redaction {

    /** URIs of the file systems Spark reads. */
    public static final String LOCATIONS =
            "(?i)\\b(file|hdfs|s3a?|s3n|abfss?|wasbs?|gs|viewfs|o3fs|ofs|jfs|oss|cos|cosn):/[^\\s,\\]\\)}'\"]*";
    /** What Spark puts in place of a match. */
    public static final String REPLACEMENT = "*********(redacted)";

    private static final Pattern PATTERN = Pattern.compile(LOCATIONS);

    private Redaction() {
    }

    public static String redact(String text) {
        return text == null ? null : PATTERN.matcher(text).replaceAll(REPLACEMENT);
    }
}
