package org.iotpipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared wire types serialize the way the API documentation shows. */
class ModelJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void problemListsViolationsAndOmitsAbsentParts() throws Exception {
        InvalidEventsException e = new InvalidEventsException(List.of(
                new Violation(2, "value", "must be a finite number, got NaN"),
                new Violation(5, null, "must be a JSON object, got 7")));
        String json = mapper.writeValueAsString(Problem.invalidEvents(e));
        assertThat(json).isEqualTo("{\"type\":\"invalid-events\",\"title\":\"Invalid events\",\"status\":400,"
                + "\"detail\":\"2 invalid events: event 2 field 'value': must be a finite number, got NaN; "
                + "event 5: must be a JSON object, got 7\","
                + "\"errors\":[{\"index\":2,\"field\":\"value\",\"reason\":\"must be a finite number, got NaN\"},"
                + "{\"index\":5,\"reason\":\"must be a JSON object, got 7\"}]}");
        assertThat(mapper.writeValueAsString(Problem.of(413, "payload-too-large", "Payload too large", "max 1 MiB")))
                .doesNotContain("errors");
    }

    @Test
    void queryResultKeepsNullCellsAndRoundTrips() throws Exception {
        QueryResult result = new QueryResult(
                List.of(new ResultColumn("device_id", "int"), new ResultColumn("value_avg", "double")),
                List.of(Arrays.asList(1, null), Arrays.asList(2, 3.5)), 2, false, 12, "q-1");
        String json = mapper.writeValueAsString(result);
        assertThat(json).isEqualTo("{\"columns\":[{\"name\":\"device_id\",\"type\":\"int\"},"
                + "{\"name\":\"value_avg\",\"type\":\"double\"}],\"rows\":[[1,null],[2,3.5]],"
                + "\"rowCount\":2,\"truncated\":false,\"elapsedMs\":12,\"queryId\":\"q-1\"}");
        assertThat(mapper.readValue(json, QueryResult.class)).isEqualTo(result);
    }

    @Test
    void mediaTypesMapToFormats() {
        assertThat(BodyFormat.forMediaType("application/json; charset=UTF-8")).contains(BodyFormat.JSON);
        assertThat(BodyFormat.forMediaType("Application/X-NDJSON")).contains(BodyFormat.NDJSON);
        assertThat(BodyFormat.forMediaType("text/plain")).isEmpty();
        assertThat(BodyFormat.forMediaType(null)).isEmpty();
    }
}
