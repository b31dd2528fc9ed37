package org.iotpipeline.query.execution;

import org.iotpipeline.config.SettingChecks;

/**
 * Bounds on SQL text checked before Spark's parser sees it (its time and recursion grow with both).
 *
 * @param maxLength  characters of a statement (more: 413)
 * @param maxNesting deepest nesting of parentheses and brackets (more: 400)
 */
public record StatementLimits(int maxLength, int maxNesting) {

    public StatementLimits {
        SettingChecks.atLeast(QueryLimits.key("max-statement-length"), maxLength, 1);
        SettingChecks.atLeast(QueryLimits.key("max-statement-nesting"), maxNesting, 1);
    }
}
