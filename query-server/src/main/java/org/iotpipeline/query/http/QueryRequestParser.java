package org.iotpipeline.query.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.iotpipeline.query.execution.ProblemType;
import org.iotpipeline.query.execution.QueryException;
import org.iotpipeline.query.execution.QueryRequest;
import org.iotpipeline.query.json.RowShape;

/**
 * Reads a {@code POST /query} into a {@link QueryRequest}: the body is either the SQL text itself
 * (text/plain, or curl's default application/x-www-form-urlencoded, taken raw, not URL-decoded) or
 * a JSON object {@code {"sql", "parameters", "maxRows", "timeoutMs", "queryId", "rows"}}. The URL
 * parameters {@code rows}, {@code maxRows}, {@code timeoutMs} and {@code queryId} apply where the
 * JSON body does not set the same field.
 */
public final class QueryRequestParser {

    private static final Set<String> JSON_FIELDS = Set.of("sql", "parameters", "maxRows", "timeoutMs", "queryId", "rows");

    private final ObjectMapper mapper;

    public QueryRequestParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param json      whether the body is JSON (application/json) rather than SQL text
     * @param urlParams the request's query string parameters
     * @throws QueryException {@link ProblemType#INVALID_REQUEST} naming the field and the reason
     */
    public QueryRequest parse(byte[] body, boolean json, Map<String, String> urlParams) {
        Optional<RowShape> shape = Optional.ofNullable(urlParams.get("rows")).map(text -> rowShape(text, "rows"));
        OptionalInt maxRows = urlParams.containsKey("maxRows")
                ? OptionalInt.of(intValue(urlParams.get("maxRows"), "maxRows")) : OptionalInt.empty();
        Optional<Duration> timeout = Optional.ofNullable(urlParams.get("timeoutMs"))
                .map(text -> Duration.ofMillis(intValue(text, "timeoutMs")));
        Optional<String> queryId = Optional.ofNullable(urlParams.get("queryId"));
        if (!json) {
            return new QueryRequest(new String(body, StandardCharsets.UTF_8), Map.of(), maxRows, timeout, shape, queryId);
        }
        JsonNode root = readJson(body);
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!JSON_FIELDS.contains(name)) {
                throw invalid("unknown field \"" + name + "\"; a JSON query has the fields " + JSON_FIELDS);
            }
        }
        JsonNode sql = root.get("sql");
        if (sql == null || !sql.isTextual()) {
            throw invalid("\"sql\" is required and must be a string");
        }
        if (root.hasNonNull("maxRows")) {
            maxRows = OptionalInt.of(intField(root.get("maxRows"), "maxRows"));
        }
        if (root.hasNonNull("timeoutMs")) {
            timeout = Optional.of(Duration.ofMillis(intField(root.get("timeoutMs"), "timeoutMs")));
        }
        if (root.hasNonNull("queryId")) {
            queryId = Optional.of(textField(root.get("queryId"), "queryId"));
        }
        if (root.hasNonNull("rows")) {
            shape = Optional.of(rowShape(textField(root.get("rows"), "rows"), "rows"));
        }
        return new QueryRequest(sql.asText(), parameters(root.get("parameters")), maxRows, timeout, shape, queryId);
    }

    private JsonNode readJson(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw invalid("the body cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("a JSON body must be an object like {\"sql\": \"SELECT ...\"}");
        }
        return root;
    }

    private Map<String, Object> parameters(JsonNode node) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return parameters;
        }
        if (!node.isObject()) {
            throw invalid("\"parameters\" must be an object of named values, e.g. {\"device\": 7}");
        }
        node.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            if (value.isContainerNode()) {
                throw invalid("parameters." + entry.getKey() + " must be a string, number, boolean or null, got "
                        + (value.isArray() ? "an array" : "an object"));
            }
            parameters.put(entry.getKey(), mapper.convertValue(value, Object.class));
        });
        return parameters;
    }

    private static int intField(JsonNode node, String name) {
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw invalid("\"" + name + "\" must be an integer, got " + node);
        }
        return node.intValue();
    }

    private static String textField(JsonNode node, String name) {
        if (!node.isTextual()) {
            throw invalid("\"" + name + "\" must be a string, got " + node);
        }
        return node.asText();
    }

    private static int intValue(String text, String name) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw invalid(name + " must be an integer, got '" + text + "'");
        }
    }

    private static RowShape rowShape(String text, String name) {
        return RowShape.parse(text).orElseThrow(() -> invalid(name + " must be \"objects\" or \"arrays\", got '" + text + "'"));
    }

    private static QueryException invalid(String detail) {
        return QueryException.of(ProblemType.INVALID_REQUEST, detail).build();
    }
}
