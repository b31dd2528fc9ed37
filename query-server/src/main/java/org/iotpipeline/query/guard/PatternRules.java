package org.iotpipeline.query.guard;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.analysis.NamedParameter;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;

/**
 * Limits on patterns that Spark evaluates with Java's regex engine, which backtracks and cannot be
 * interrupted: a pattern must be a constant (literal or named parameter) of a shape whose matching
 * is at most linear in the input.
 *
 * <ul>
 *   <li>LIKE / ILIKE: at most two {@code %} wildcards ({@code %a%b%} and more turn into nested
 *       {@code .*} and backtrack quadratically or worse on long strings);</li>
 *   <li>regex delimiters ({@code split}, {@code str_to_map}, the key of {@code parse_url}): plain
 *       text only, no regex operators (an escaped operator like {@code \|} is plain).</li>
 * </ul>
 */
final class PatternRules {

    /** LIKE wildcards that match any run of characters, at most. */
    static final int MAX_LIKE_PERCENT = 2;
    private static final String REGEX_OPERATORS = ".$|()[]{}^?*+";

    private PatternRules() {
    }

    /** @throws RefusedQueryException unless {@code pattern} is a constant LIKE pattern of a bounded shape */
    static void checkLike(String operator, Expression pattern, char escape, Map<String, Object> parameters) {
        String text = constant(pattern, parameters, operator + " pattern");
        checkLikeText(operator, text, escape);
    }

    static void checkLikeText(String operator, String text, char escape) {
        int runs = 0;
        boolean inRun = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == escape) {
                i++;
                inRun = false;
            } else if (c == '%') {
                if (!inRun) {
                    runs++;
                }
                inRun = true;
            } else {
                inRun = false;
            }
        }
        if (runs > MAX_LIKE_PERCENT) {
            throw new RefusedQueryException(operator + " pattern '" + abbreviate(text) + "' has " + runs
                    + " '%' wildcards; at most " + MAX_LIKE_PERCENT
                    + " are allowed (more backtrack without bound in Java's regex engine)");
        }
    }

    /** @throws RefusedQueryException unless argument {@code index} of {@code function} is constant plain text */
    static void checkPlainDelimiter(String function, List<Expression> arguments, int index,
                                    Map<String, Object> parameters) {
        if (arguments.size() <= index) {
            return;
        }
        String text = constant(arguments.get(index), parameters, function + " delimiter");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && !Character.isLetterOrDigit(text.charAt(i + 1))) {
                i++;
            } else if (c == '\\' || REGEX_OPERATORS.indexOf(c) >= 0) {
                throw new RefusedQueryException(function + " delimiter '" + abbreviate(text)
                        + "' is a regular expression; only plain text is allowed (escape an operator as \\\\" + c + " to match it literally)");
            }
        }
    }

    private static String constant(Expression expression, Map<String, Object> parameters, String what) {
        if (expression instanceof Literal literal && literal.value() != null) {
            return literal.value().toString();
        }
        if (expression instanceof NamedParameter parameter && parameters.get(parameter.name()) instanceof String text) {
            return text;
        }
        throw new RefusedQueryException(what + " must be a constant string (a literal or a named parameter), got "
                + abbreviate(expression.sql()));
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
