package org.iotpipeline.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why one event of a request was rejected.
 *
 * @param index  position of the event in the request body, 0-based (a single JSON object is index
 *               0; in NDJSON blank lines are not counted)
 * @param field  the offending field, or {@code null} when the event as a whole is wrong
 *               (malformed JSON, not an object)
 * @param reason what is wrong, in words a client developer can act on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Violation(int index, String field, String reason) {

    @Override
    public String toString() {
        return "event " + index + (field == null ? "" : " field '" + field + "'") + ": " + reason;
    }
}
