package org.iotpipeline.query.execution;

/**
 * Bounds on SQL text checked before Spark's parser sees it (its time and recursion grow with both).
 *
 * @param maxLength  characters of a statement (more: 413)
 * @param maxNesting deepest nesting of parentheses and brackets (more: 400)
 */
public record StatementLimits(int maxLength, int maxNesting) {

    public StatementLimits {
        if (maxLength < 1) {
            throw new IllegalArgumentException("query-server.query.max-statement-length must be at least 1, got " + maxLength);
        }
        if (maxNesting < 1) {
            throw new IllegalArgumentException("query-server.query.max-statement-nesting must be at least 1, got "
                    + maxNesting);
        }
    }
}
