package org.iotpipeline.model;

import java.util.List;

/**
 * A request body, or one Kafka record, did not hold only valid events. Carries the violations
 * found, so a client can fix a whole batch in one round trip: all of them, or, past the codec's
 * reporting cap, the first ones and how many more there are.
 */
public final class InvalidEventsException extends Exception {

    private static final long serialVersionUID = 1L;
    private static final int MAX_IN_MESSAGE = 5;

    private final transient List<Violation> violations;
    private final long unlistedViolations;
    private final int invalidEvents;

    /** Every violation is listed. */
    public InvalidEventsException(List<Violation> violations) {
        this(violations, 0, (int) violations.stream().mapToInt(Violation::index).distinct().count());
    }

    /**
     * @param listed             the violations listed, in body order (not empty)
     * @param unlistedViolations further violations found but not listed
     * @param invalidEvents      how many events of the body broke a rule
     */
    public InvalidEventsException(List<Violation> listed, long unlistedViolations, int invalidEvents) {
        super(summarize(listed, unlistedViolations));
        if (unlistedViolations < 0 || invalidEvents < 1) {
            throw new IllegalArgumentException("unlistedViolations must be >= 0 and invalidEvents >= 1, got "
                    + unlistedViolations + " and " + invalidEvents);
        }
        this.violations = List.copyOf(listed);
        this.unlistedViolations = unlistedViolations;
        this.invalidEvents = invalidEvents;
    }

    /** The listed violations, in body order. Never empty. */
    public List<Violation> violations() {
        return violations;
    }

    /** Violations found beyond the listed ones (0 unless the codec's reporting cap was reached). */
    public long unlistedViolations() {
        return unlistedViolations;
    }

    /** How many events of the body broke at least one rule. */
    public int invalidEvents() {
        return invalidEvents;
    }

    private static String summarize(List<Violation> violations, long unlisted) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an InvalidEventsException needs at least one violation");
        }
        long total = violations.size() + unlisted;
        StringBuilder text = new StringBuilder();
        text.append(total).append(total == 1 ? " invalid event: " : " invalid events: ");
        for (int i = 0; i < Math.min(MAX_IN_MESSAGE, violations.size()); i++) {
            if (i > 0) {
                text.append("; ");
            }
            text.append(violations.get(i));
        }
        if (total > MAX_IN_MESSAGE) {
            text.append("; and ").append(total - MAX_IN_MESSAGE).append(" more");
        }
        if (unlisted > 0) {
            text.append(" (only the first ").append(violations.size()).append(" violations are listed)");
        }
        return text.toString();
    }
}
