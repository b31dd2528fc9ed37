package org.iotpipeline.query.guard;

/**
 * A linear scan of SQL text that measures what makes Spark's parser slow or recursive before the
 * parser sees it: the length, and how deeply parentheses and brackets nest (20 KB of nested
 * parentheses took Spark's parser 24 s and ended in a StackOverflowError). Quotes, backquotes and
 * comments are skipped, so a parenthesis inside a string does not count.
 *
 * @param length   characters
 * @param nesting  deepest nesting of {@code (} and {@code [}
 */
public record StatementShape(int length, int nesting) {

    /** Measures {@code sql} in one pass, without allocating. */
    public static StatementShape of(String sql) {
        int depth = 0;
        int deepest = 0;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
            } else {
                if (c == '(' || c == '[') {
                    depth++;
                    deepest = Math.max(deepest, depth);
                } else if ((c == ')' || c == ']') && depth > 0) {
                    depth--;
                }
                i++;
            }
        }
        return new StatementShape(n, deepest);
    }

    /** Index after the closing quote; backslash escapes in strings, doubled backquotes in names. */
    private static int skipQuoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                if (quote == '`' && i + 1 < sql.length() && sql.charAt(i + 1) == '`') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    /** Index after a (possibly nested, as Spark's lexer allows) block comment. */
    private static int skipBlockComment(String sql, int start) {
        int level = 0;
        int i = start;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                level++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                level--;
                i += 2;
                if (level == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }
}
