package org.iotpipeline.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * An error body in the shape of RFC 9457 "problem details" ({@code application/problem+json}), as
 * every service answers a request it cannot serve.
 *
 * @param type   a stable, machine-readable identifier of the kind of problem, e.g.
 *               {@code invalid-events}, {@code payload-too-large}
 * @param title  a short human summary of that kind
 * @param status the HTTP status code
 * @param detail what exactly was wrong with this request
 * @param errors per-event violations, for rejected events; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<Violation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        errors = errors == null ? null : List.copyOf(errors);
    }

    public static Problem of(int status, String type, String title, String detail) {
        return new Problem(type, title, status, detail, null);
    }

    /** The 400 answer to a body with invalid events. */
    public static Problem invalidEvents(InvalidEventsException e) {
        return new Problem("invalid-events", "Invalid events", 400, e.getMessage(), e.violations());
    }
}
