package org.iotpipeline.query.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.iotpipeline.model.ResultColumn;
import org.iotpipeline.query.execution.ResultFormat;
import org.iotpipeline.query.json.JsonMappers;
import org.junit.jupiter.api.Test;

class LineFormatTest {

    private final ObjectMapper mapper = JsonMappers.create();
    private final LineFormat csv = LineFormat.of(ResultFormat.CSV, mapper);
    private final LineFormat ndjson = LineFormat.of(ResultFormat.NDJSON, mapper);

    @Test
    void csvQuotesOnlyWhatNeedsItAndTellsNullFromEmpty() {
        assertThat(csv.header(List.of(new ResultColumn("a,b", "int"), new ResultColumn("c", "string"))).utf8String())
                .isEqualTo("\"a,b\",c\n");
        List<Object> row = Arrays.asList(1, null, "", "say \"hi\"", "two\nlines", new BigDecimal("1E+2"),
                List.of(1, 2), Map.of("k", "v"), "NaN", true);
        assertThat(csv.row(row).utf8String())
                .isEqualTo("1,,\"\",\"say \"\"hi\"\"\",\"two\nlines\",100,\"[1,2]\",\"{\"\"k\"\":\"\"v\"\"}\",NaN,true\n");
    }

    @Test
    void everyLineEndsWithANewlineAndErrorsAreMarked() {
        assertThat(ndjson.row(Map.of("a", 1)).utf8String()).isEqualTo("{\"a\":1}\n");
        assertThat(ndjson.header(List.of(new ResultColumn("a", "int"))).isEmpty()).isTrue();
        var problem = mapper.createObjectNode().put("status", 504);
        assertThat(ndjson.error(problem).utf8String()).isEqualTo("{\"error\":{\"status\":504}}\n");
        assertThat(csv.error(problem).utf8String()).isEqualTo("# error: {\"status\":504}\n");
    }
}
