package org.iotpipeline.query.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.CalendarIntervalType;
import org.apache.spark.sql.types.CharType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DayTimeIntervalType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.sql.types.VarcharType;
import org.apache.spark.sql.types.VariantType;
import org.apache.spark.sql.types.YearMonthIntervalType;
import org.apache.spark.unsafe.types.CalendarInterval;
import org.apache.spark.unsafe.types.VariantVal;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Turns values of any Spark SQL type, as {@link Row}s hold them, into plain Java values that Jackson
 * writes as the documented JSON (query-server/README.md, "Result JSON"):
 *
 * <table>
 * <caption>Spark type to JSON</caption>
 * <tr><th>Spark type</th><th>JSON</th></tr>
 * <tr><td>boolean, tinyint, smallint, int, bigint</td><td>true/false, number (bigint exact, beyond
 *     2^53 a JavaScript client loses precision)</td></tr>
 * <tr><td>float, double</td><td>number; NaN, Infinity, -Infinity as the strings {@code "NaN"},
 *     {@code "Infinity"}, {@code "-Infinity"} (JSON has no such numbers)</td></tr>
 * <tr><td>decimal(p,s)</td><td>number, exact, plain notation (from {@link BigDecimal})</td></tr>
 * <tr><td>string, char, varchar</td><td>string</td></tr>
 * <tr><td>binary</td><td>string, base64 (RFC 4648, with padding)</td></tr>
 * <tr><td>date</td><td>string {@code 2026-11-29}</td></tr>
 * <tr><td>timestamp</td><td>string, ISO-8601 UTC with {@code Z}: {@code 2026-11-29T03:05:00Z},
 *     fraction only when not zero, up to microseconds</td></tr>
 * <tr><td>timestamp_ntz</td><td>string, ISO-8601 without offset: {@code 2026-11-29T03:05:00}</td></tr>
 * <tr><td>time</td><td>string {@code 12:34:56.789}</td></tr>
 * <tr><td>interval year to month, interval day to second, legacy calendar interval</td><td>string,
 *     ISO-8601 duration: {@code P1Y2M}, {@code PT26H3M}, {@code P1Y2M3DT4H5M6.5S}</td></tr>
 * <tr><td>array</td><td>array</td></tr>
 * <tr><td>struct</td><td>object keyed by field name (a repeated name gets {@code #2}, {@code #3})</td></tr>
 * <tr><td>map with string keys</td><td>object</td></tr>
 * <tr><td>map with other keys</td><td>array of {@code {"key": k, "value": v}}, in map order</td></tr>
 * <tr><td>variant</td><td>the JSON value it holds</td></tr>
 * <tr><td>null of any type</td><td>null</td></tr>
 * <tr><td>any other type</td><td>string, the value's {@code toString()}</td></tr>
 * </table>
 *
 * <p>Converters are built once per schema ({@link #forSchema}) and then applied per row, so the
 * type dispatch does not repeat for every value. Instances are immutable and thread-safe.
 */
public final class SparkJsonConverter {

    static final String NAN = "NaN";
    static final String POSITIVE_INFINITY = "Infinity";
    static final String NEGATIVE_INFINITY = "-Infinity";

    private final ObjectMapper mapper;

    /** @param mapper parses the JSON text of variant values */
    public SparkJsonConverter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Converts rows of {@code schema} to {@code Map<String,Object>} (objects) or {@code List<Object>} (arrays). */
    public RowConverter forSchema(StructType schema, RowShape shape) {
        StructField[] fields = schema.fields();
        List<UnaryOperator<Object>> converters = new ArrayList<>(fields.length);
        for (StructField field : fields) {
            converters.add(forType(field.dataType()));
        }
        List<String> keys = uniqueNames(fieldNames(fields));
        return shape == RowShape.ARRAYS ? new ArrayRowConverter(converters) : new ObjectRowConverter(keys, converters);
    }

    /** A converter of one value of Spark type {@code type} (in its external Java form) to a JSON-ready value. */
    public UnaryOperator<Object> forType(DataType type) {
        UnaryOperator<Object> converter = nonNull(type);
        return value -> value == null ? null : converter.apply(value);
    }

    private UnaryOperator<Object> nonNull(DataType type) {
        if (type instanceof BooleanType || type instanceof ByteType || type instanceof ShortType
                || type instanceof IntegerType || type instanceof LongType) {
            return UnaryOperator.identity();
        }
        if (type instanceof DoubleType) {
            return value -> finiteOrName(((Number) value).doubleValue(), value);
        }
        if (type instanceof FloatType) {
            return value -> finiteOrName(((Number) value).floatValue(), value);
        }
        if (type instanceof DecimalType) {
            return SparkJsonConverter::decimal;
        }
        if (type instanceof StringType || type instanceof CharType || type instanceof VarcharType) {
            return Object::toString;
        }
        if (type instanceof BinaryType) {
            return value -> Base64.getEncoder().encodeToString((byte[]) value);
        }
        if (type instanceof DateType) {
            return SparkJsonConverter::date;
        }
        if (type instanceof TimestampType) {
            return SparkJsonConverter::timestamp;
        }
        if (type instanceof TimestampNTZType) {
            return value -> DateTimeFormatter.ISO_LOCAL_DATE_TIME.format((LocalDateTime) value);
        }
        if (type instanceof YearMonthIntervalType || type instanceof DayTimeIntervalType
                || type instanceof CalendarIntervalType) {
            return SparkJsonConverter::interval;
        }
        if (type instanceof ArrayType array) {
            UnaryOperator<Object> element = forType(array.elementType());
            return value -> {
                List<Object> out = new ArrayList<>();
                for (Object item : iterable(value)) {
                    out.add(element.apply(item));
                }
                return out;
            };
        }
        if (type instanceof MapType map) {
            return mapConverter(map);
        }
        if (type instanceof StructType struct) {
            RowConverter fields = forSchema(struct, RowShape.OBJECTS);
            return value -> fields.apply((Row) value);
        }
        if (type instanceof VariantType) {
            return this::variant;
        }
        if (type instanceof NullType) {
            return value -> null;
        }
        if ("time".equals(type.typeName()) || type.typeName().startsWith("time(")) {
            return value -> value instanceof LocalTime time ? DateTimeFormatter.ISO_LOCAL_TIME.format(time) : value.toString();
        }
        return Object::toString;
    }

    private UnaryOperator<Object> mapConverter(MapType map) {
        UnaryOperator<Object> key = forType(map.keyType());
        UnaryOperator<Object> val = forType(map.valueType());
        DataType keyType = map.keyType();
        boolean stringKeys = keyType instanceof StringType || keyType instanceof CharType || keyType instanceof VarcharType;
        return value -> {
            Map<?, ?> entries = javaMap(value);
            if (stringKeys) {
                Map<String, Object> out = new LinkedHashMap<>();
                entries.forEach((k, v) -> out.put(k.toString(), val.apply(v)));
                return out;
            }
            List<Object> out = new ArrayList<>(entries.size());
            entries.forEach((k, v) -> {
                Map<String, Object> entry = new LinkedHashMap<>(4);
                entry.put("key", key.apply(k));
                entry.put("value", val.apply(v));
                out.add(entry);
            });
            return out;
        };
    }

    private static Object finiteOrName(double d, Object original) {
        if (Double.isNaN(d)) {
            return NAN;
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
        }
        return original;
    }

    private static Object decimal(Object value) {
        if (value instanceof BigDecimal big) {
            return big;
        }
        if (value instanceof org.apache.spark.sql.types.Decimal spark) {
            return spark.toJavaBigDecimal();
        }
        return new BigDecimal(value.toString());
    }

    private static Object date(Object value) {
        if (value instanceof LocalDate local) {
            return local.toString();
        }
        if (value instanceof java.sql.Date sql) {
            return sql.toLocalDate().toString(); // legacy API: Spark built it in the JVM zone from the day count
        }
        return value.toString();
    }

    private static Object timestamp(Object value) {
        if (value instanceof Instant instant) {
            return DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        if (value instanceof java.sql.Timestamp sql) {
            return DateTimeFormatter.ISO_INSTANT.format(sql.toInstant());
        }
        return value.toString();
    }

    /** ISO-8601 durations; a calendar interval's months, days and time parts are combined. */
    static Object interval(Object value) {
        if (value instanceof Period period) {
            return period.toString();
        }
        if (value instanceof Duration duration) {
            return duration.toString();
        }
        if (value instanceof CalendarInterval calendar) {
            Period datePart = Period.ofMonths(calendar.months).normalized().plusDays(calendar.days);
            Duration timePart = Duration.ofNanos(Math.multiplyExact(calendar.microseconds, 1000L));
            String date = datePart.isZero() ? "" : datePart.toString().substring(1);
            String time = timePart.isZero() ? "" : timePart.toString().substring(1);
            return date.isEmpty() && time.isEmpty() ? "PT0S" : "P" + date + time;
        }
        return value.toString();
    }

    private Object variant(Object value) {
        String json = value instanceof VariantVal variant ? variant.toJson(ZoneOffset.UTC) : value.toString();
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            // A variant always renders as valid JSON; if it ever does not, the text is still useful.
            return json;
        }
    }

    private static Iterable<?> iterable(Object value) {
        if (value instanceof scala.collection.Iterable<?> scalaIterable) {
            return CollectionConverters.asJava(scalaIterable);
        }
        if (value instanceof Iterable<?> javaIterable) {
            return javaIterable;
        }
        if (value instanceof Object[] array) {
            return List.of(array);
        }
        throw new IllegalArgumentException("not an array value: " + value.getClass().getName());
    }

    private static Map<?, ?> javaMap(Object value) {
        if (value instanceof scala.collection.Map<?, ?> scalaMap) {
            return CollectionConverters.asJava(scalaMap);
        }
        if (value instanceof Map<?, ?> javaMap) {
            return javaMap;
        }
        throw new IllegalArgumentException("not a map value: " + value.getClass().getName());
    }

    private static List<String> fieldNames(StructField[] fields) {
        List<String> names = new ArrayList<>(fields.length);
        for (StructField field : fields) {
            names.add(field.name());
        }
        return names;
    }

    /**
     * Object keys for column names: a name seen before gets {@code #2}, {@code #3}, ... so no value is
     * lost to a duplicate key (e.g. {@code SELECT a.device_id, b.device_id ...}).
     */
    public static List<String> uniqueNames(List<String> names) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> unique = new ArrayList<>(names.size());
        java.util.Set<String> taken = new java.util.HashSet<>(names);
        for (String name : names) {
            int count = seen.merge(name, 1, Integer::sum);
            if (count == 1) {
                unique.add(name);
                continue;
            }
            String candidate = name + "#" + count;
            while (taken.contains(candidate)) {
                count++;
                candidate = name + "#" + count;
            }
            seen.put(name, count);
            taken.add(candidate);
            unique.add(candidate);
        }
        return unique;
    }

    /** Converts one row of a fixed schema. */
    public interface RowConverter {
        Object apply(Row row);
    }

    private record ArrayRowConverter(List<UnaryOperator<Object>> converters) implements RowConverter {
        @Override
        public Object apply(Row row) {
            List<Object> out = new ArrayList<>(converters.size());
            for (int i = 0; i < converters.size(); i++) {
                out.add(converters.get(i).apply(row.get(i)));
            }
            return out;
        }
    }

    private record ObjectRowConverter(List<String> keys, List<UnaryOperator<Object>> converters) implements RowConverter {
        @Override
        public Object apply(Row row) {
            Map<String, Object> out = new LinkedHashMap<>(converters.size() * 2);
            for (int i = 0; i < converters.size(); i++) {
                out.put(keys.get(i), converters.get(i).apply(row.get(i)));
            }
            return out;
        }
    }
}
