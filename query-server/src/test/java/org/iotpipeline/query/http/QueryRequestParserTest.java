package org.iotpipeline.query.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.iotpipeline.query.execution.QueryException;
import org.iotpipeline.query.execution.QueryOutcome;
import org.iotpipeline.query.execution.QueryRequest;
import org.iotpipeline.query.json.JsonMappers;
import org.iotpipeline.query.json.RowShape;
import org.junit.jupiter.api.Test;

class QueryRequestParserTest {

    private final QueryRequestParser parser = new QueryRequestParser(JsonMappers.create());

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aTextBodyIsTheSqlAsIsEvenWhenCurlCallsItFormData() {
        QueryRequest request = parser.parse(bytes("SELECT 1 + 1 AS two, '%41' AS raw"), false,
                Map.of("rows", "arrays", "maxRows", "5", "timeoutMs", "1500", "queryId", "q-1"));

        assertThat(request.sql()).isEqualTo("SELECT 1 + 1 AS two, '%41' AS raw");
        assertThat(request.rowShape()).contains(RowShape.ARRAYS);
        assertThat(request.maxRows()).hasValue(5);
        assertThat(request.timeout()).contains(Duration.ofMillis(1500));
        assertThat(request.queryId()).contains("q-1");
        assertThat(request.parameters()).isEmpty();
    }

    @Test
    void aJsonBodyCarriesParametersAndOverridesUrlParameters() {
        QueryRequest request = parser.parse(bytes("{\"sql\": \"SELECT :d, :v, :s, :b, :n\", \"maxRows\": 3,"
                + " \"timeoutMs\": 100, \"rows\": \"objects\", \"parameters\": {\"d\": 7, \"v\": 21.5, \"s\": \"x\","
                + " \"b\": true, \"n\": null}}"), true, Map.of("maxRows", "99", "rows", "arrays"));

        assertThat(request.sql()).isEqualTo("SELECT :d, :v, :s, :b, :n");
        assertThat(request.maxRows()).hasValue(3);
        assertThat(request.rowShape()).contains(RowShape.OBJECTS);
        assertThat(request.parameters()).containsEntry("d", 7).containsEntry("v", new BigDecimal("21.5"))
                .containsEntry("s", "x").containsEntry("b", true).containsEntry("n", null);
    }

    @Test
    void namesTheFieldThatIsWrong() {
        assertInvalid("{}", true, "\"sql\" is required");
        assertInvalid("{\"sql\": 1}", true, "\"sql\" is required and must be a string");
        assertInvalid("{\"sql\": \"SELECT 1\", \"maxrows\": 1}", true, "unknown field \"maxrows\"");
        assertInvalid("{\"sql\": \"SELECT 1\", \"maxRows\": 1.5}", true, "\"maxRows\" must be an integer");
        assertInvalid("{\"sql\": \"SELECT 1\", \"timeoutMs\": \"soon\"}", true, "\"timeoutMs\" must be an integer");
        assertInvalid("{\"sql\": \"SELECT :a\", \"parameters\": {\"a\": [1, 2]}}", true, "parameters.a must be");
        assertInvalid("{\"sql\": \"SELECT 1\", \"parameters\": [1]}", true, "\"parameters\" must be an object");
        assertInvalid("{\"sql\": \"SELECT 1\", \"rows\": \"rows\"}", true, "rows must be \"objects\" or \"arrays\"");
        assertInvalid("{\"sql\": ", true, "not valid JSON");
        assertInvalid("[\"SELECT 1\"]", true, "must be an object");
        assertInvalid("SELECT 1", false, Map.of("maxRows", "many"), "maxRows must be an integer");
    }

    private void assertInvalid(String body, boolean json, String message) {
        assertInvalid(body, json, Map.of(), message);
    }

    private void assertInvalid(String body, boolean json, Map<String, String> params, String message) {
        assertThatThrownBy(() -> parser.parse(bytes(body), json, params))
                .isInstanceOfSatisfying(QueryException.class,
                        e -> assertThat(e.outcome()).isEqualTo(QueryOutcome.INVALID))
                .hasMessageContaining(message);
    }
}
