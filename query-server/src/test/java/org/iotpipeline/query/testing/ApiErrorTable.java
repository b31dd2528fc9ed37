package org.iotpipeline.query.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The error table of docs/api.md, which the problem enums are checked against. */
public final class ApiErrorTable {

    /** Surefire runs in the module's directory. */
    private static final Path API_DOC = Path.of("..", "docs", "api.md");
    private static final String TABLE_HEAD = "| status | `type` | when |";
    private static final Pattern TYPE = Pattern.compile("`([a-z-]+)`");

    private ApiErrorTable() {
    }

    /** The query server's error table: {@code | 400 | `invalid-sql` / `query-error` | ... |}, type to status. */
    public static Map<String, Integer> documentedStatuses() throws IOException {
        List<String> lines = Files.readAllLines(API_DOC);
        int head = lines.indexOf(TABLE_HEAD);
        assertThat(head).as("docs/api.md has the table " + TABLE_HEAD).isNotNegative();
        Map<String, Integer> statuses = new HashMap<>();
        for (String line : lines.subList(head + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("\\|", -1);
            int status = Integer.parseInt(cells[1].strip());
            Matcher type = TYPE.matcher(cells[2]);
            while (type.find()) {
                Integer before = statuses.put(type.group(1), status);
                assertThat(before).as("%s documented once", type.group(1)).isNull();
            }
        }
        return statuses;
    }
}
