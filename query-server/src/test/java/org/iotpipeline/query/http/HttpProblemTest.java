package org.iotpipeline.query.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.iotpipeline.query.execution.ProblemType;
import org.iotpipeline.query.testing.ApiErrorTable;
import org.junit.jupiter.api.Test;

class HttpProblemTest {

    @Test
    void everyTypeIsDocumentedWithItsStatus() throws IOException {
        Map<String, Integer> documented = ApiErrorTable.documentedStatuses();

        for (HttpProblem problem : HttpProblem.values()) {
            assertThat(documented).as("docs/api.md documents " + problem.type())
                    .containsEntry(problem.type(), problem.status());
        }
    }

    @Test
    void noTypeIsAlsoAQueryProblemType() {
        List<String> types = Stream.concat(Arrays.stream(HttpProblem.values()).map(HttpProblem::type),
                Arrays.stream(ProblemType.values()).map(ProblemType::type)).toList();

        assertThat(types).doesNotHaveDuplicates();
    }
}
