package org.iotpipeline.query.http;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.MediaTypes;
import akka.util.ByteString;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.iotpipeline.model.ResultColumn;
import org.iotpipeline.query.execution.ResultFormat;
import org.iotpipeline.query.json.RowShape;

/**
 * The lines of a streamed answer. Every line, including the last, ends with {@code \n}.
 *
 * <ul>
 *   <li>NDJSON ({@code application/x-ndjson}): one row per line, shaped by {@code ?rows=}; no
 *       header. A failure after the first row adds one last line {@code {"error": <problem>}}.</li>
 *   <li>CSV ({@code text/csv}, RFC 4180): a header line of column names, then one line per row.
 *       Fields holding a comma, quote, CR or LF are quoted, quotes doubled. SQL NULL is an empty
 *       field, the empty string is {@code ""}; arrays, structs, maps and variants are JSON text;
 *       other values as in JSON without quotes. A failure adds one last line
 *       {@code # error: <problem as JSON>}.</li>
 * </ul>
 */
public abstract sealed class LineFormat permits LineFormat.Ndjson, LineFormat.Csv {

    private static final byte NEWLINE = '\n';

    protected final ObjectMapper mapper;

    LineFormat(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    static LineFormat of(ResultFormat format, ObjectMapper mapper) {
        return switch (format) {
            case NDJSON -> new Ndjson(mapper);
            case CSV -> new Csv(mapper);
            case JSON -> throw new IllegalArgumentException("JSON answers are not streamed");
        };
    }

    abstract ContentType contentType();

    /** The shape rows must be converted to for this format. */
    abstract RowShape rowShape(RowShape requested);

    /** The first line, if the format has one. */
    abstract ByteString header(List<ResultColumn> columns);

    abstract ByteString row(Object row);

    /** The last line of a stream that failed. */
    abstract ByteString error(ObjectNode problem);

    protected byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("converted row values always serialize", e);
        }
    }

    protected static ByteString line(byte[] bytes) {
        byte[] withNewline = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        withNewline[bytes.length] = NEWLINE;
        return ByteString.fromArrayUnsafe(withNewline);
    }

    static final class Ndjson extends LineFormat {
        private static final ContentType NDJSON = ContentTypes.create(
                MediaTypes.applicationWithFixedCharset("x-ndjson", HttpCharsets.UTF_8));

        Ndjson(ObjectMapper mapper) {
            super(mapper);
        }

        @Override
        ContentType contentType() {
            return NDJSON;
        }

        @Override
        RowShape rowShape(RowShape requested) {
            return requested;
        }

        @Override
        ByteString header(List<ResultColumn> columns) {
            return ByteString.emptyByteString();
        }

        @Override
        ByteString row(Object row) {
            return line(json(row));
        }

        @Override
        ByteString error(ObjectNode problem) {
            return line(json(Map.of("error", problem)));
        }
    }

    static final class Csv extends LineFormat {
        Csv(ObjectMapper mapper) {
            super(mapper);
        }

        @Override
        ContentType contentType() {
            return ContentTypes.TEXT_CSV_UTF8;
        }

        @Override
        RowShape rowShape(RowShape requested) {
            return RowShape.ARRAYS; // CSV fields are positional whatever ?rows= says
        }

        @Override
        ByteString header(List<ResultColumn> columns) {
            return csvLine(columns.stream().map(column -> (Object) column.name()).toList());
        }

        @Override
        ByteString row(Object row) {
            return csvLine((List<?>) row);
        }

        @Override
        ByteString error(ObjectNode problem) {
            return line(("# error: " + new String(json(problem), java.nio.charset.StandardCharsets.UTF_8))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        private ByteString csvLine(List<?> values) {
            StringBuilder out = new StringBuilder(values.size() * 12);
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendField(out, values.get(i));
            }
            out.append('\n');
            return ByteString.fromString(out.toString());
        }

        private void appendField(StringBuilder out, Object value) {
            if (value == null) {
                return;
            }
            String text;
            if (value instanceof String string) {
                if (string.isEmpty()) {
                    out.append("\"\"");
                    return;
                }
                text = string;
            } else if (value instanceof BigDecimal decimal) {
                text = decimal.toPlainString();
            } else if (value instanceof List || value instanceof Map || value instanceof JsonNode) {
                text = new String(json(value), java.nio.charset.StandardCharsets.UTF_8);
            } else {
                text = value.toString();
            }
            if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                out.append('"').append(text.replace("\"", "\"\"")).append('"');
            } else {
                out.append(text);
            }
        }
    }
}
