package org.iotpipeline.query.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.iotpipeline.query.testing.ApiErrorTable;
import org.junit.jupiter.api.Test;

class ProblemTypeTest {

    @Test
    void everyTypeSlugIsDistinct() {
        List<String> types = Arrays.stream(ProblemType.values()).map(ProblemType::type).toList();

        assertThat(types).doesNotHaveDuplicates();
    }

    @Test
    void everyTypeHasTheStatusDocumentedInTheApiTable() throws java.io.IOException {
        Map<String, Integer> documented = ApiErrorTable.documentedStatuses();

        assertThat(documented).as("the error table of docs/api.md").isNotEmpty();
        for (ProblemType problem : ProblemType.values()) {
            assertThat(documented).as("docs/api.md documents " + problem.type())
                    .containsEntry(problem.type(), problem.status());
        }
    }
}
