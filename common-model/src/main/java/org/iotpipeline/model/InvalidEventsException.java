package org.iotpipeline.model;

import java.util.List;

/**
 * A request body, or one Kafka record, did not hold only valid events. Carries every violation
 * found, so a client can fix a whole batch in one round trip.
 */
public final class InvalidEventsException extends Exception {

    private static final long serialVersionUID = 1L;
    private static final int MAX_IN_MESSAGE = 5;

    private final transient List<Violation> violations;

    public InvalidEventsException(List<Violation> violations) {
        super(summarize(violations));
        this.violations = List.copyOf(violations);
    }

    /** Every violation, in body order. Never empty. */
    public List<Violation> violations() {
        return violations;
    }

    private static String summarize(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an InvalidEventsException needs at least one violation");
        }
        StringBuilder text = new StringBuilder();
        text.append(violations.size()).append(violations.size() == 1 ? " invalid event: " : " invalid events: ");
        for (int i = 0; i < Math.min(MAX_IN_MESSAGE, violations.size()); i++) {
            if (i > 0) {
                text.append("; ");
            }
            text.append(violations.get(i));
        }
        if (violations.size() > MAX_IN_MESSAGE) {
            text.append("; and ").append(violations.size() - MAX_IN_MESSAGE).append(" more");
        }
        return text.toString();
    }
}
