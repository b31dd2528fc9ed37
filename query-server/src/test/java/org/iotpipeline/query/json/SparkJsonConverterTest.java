package org.iotpipeline.query.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DayTimeIntervalType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.YearMonthIntervalType;
import org.apache.spark.types.variant.Variant;
import org.apache.spark.types.variant.VariantBuilder;
import org.apache.spark.unsafe.types.CalendarInterval;
import org.apache.spark.unsafe.types.VariantVal;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** One test per Spark type: the value as a Row holds it, and the JSON text it must become. */
class SparkJsonConverterTest {

    private final ObjectMapper mapper = JsonMappers.create();
    private final SparkJsonConverter converter = new SparkJsonConverter(mapper);

    private String json(DataType type, Object value) throws Exception {
        return mapper.writeValueAsString(converter.forType(type).apply(value));
    }

    @Test
    void integersAndBooleansAreJsonNumbersAndBooleans() throws Exception {
        assertThat(json(DataTypes.BooleanType, true)).isEqualTo("true");
        assertThat(json(DataTypes.ByteType, (byte) -7)).isEqualTo("-7");
        assertThat(json(DataTypes.ShortType, (short) 300)).isEqualTo("300");
        assertThat(json(DataTypes.IntegerType, Integer.MIN_VALUE)).isEqualTo("-2147483648");
        assertThat(json(DataTypes.LongType, Long.MAX_VALUE)).isEqualTo("9223372036854775807");
    }

    @Test
    void doublesAndFloatsAreNumbersAndNonFiniteOnesAreNamedStrings() throws Exception {
        assertThat(json(DataTypes.DoubleType, 21.5)).isEqualTo("21.5");
        assertThat(json(DataTypes.DoubleType, Double.NaN)).isEqualTo("\"NaN\"");
        assertThat(json(DataTypes.DoubleType, Double.POSITIVE_INFINITY)).isEqualTo("\"Infinity\"");
        assertThat(json(DataTypes.DoubleType, Double.NEGATIVE_INFINITY)).isEqualTo("\"-Infinity\"");
        assertThat(json(DataTypes.FloatType, 0.1f)).isEqualTo("0.1");
        assertThat(json(DataTypes.FloatType, Float.NaN)).isEqualTo("\"NaN\"");
        assertThat(json(DataTypes.FloatType, Float.NEGATIVE_INFINITY)).isEqualTo("\"-Infinity\"");
    }

    @Test
    void decimalsAreExactPlainNumbers() throws Exception {
        DataType type = DataTypes.createDecimalType(38, 18);
        assertThat(json(type, new BigDecimal("12345678901234567890.123456789012345678")))
                .isEqualTo("12345678901234567890.123456789012345678");
        assertThat(json(type, new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(json(DataTypes.createDecimalType(10, 2), new BigDecimal("-0.50"))).isEqualTo("-0.50");
    }

    @Test
    void stringsAndBinary() throws Exception {
        assertThat(json(DataTypes.StringType, "a \"quoted\" ✓")).isEqualTo("\"a \\\"quoted\\\" ✓\"");
        assertThat(json(DataTypes.BinaryType, "hi!".getBytes(StandardCharsets.UTF_8))).isEqualTo("\"aGkh\"");
        assertThat(json(DataTypes.BinaryType, new byte[0])).isEqualTo("\"\"");
    }

    @Test
    void datesAndTimestampsAreIso8601() throws Exception {
        assertThat(json(DataTypes.DateType, LocalDate.of(2026, 11, 29))).isEqualTo("\"2026-11-29\"");
        assertThat(json(DataTypes.DateType, java.sql.Date.valueOf("2026-11-29"))).isEqualTo("\"2026-11-29\"");
        assertThat(json(DataTypes.TimestampType, Instant.parse("2026-11-29T03:05:00Z")))
                .isEqualTo("\"2026-11-29T03:05:00Z\"");
        assertThat(json(DataTypes.TimestampType, Instant.parse("2026-11-29T03:05:00.123456Z")))
                .isEqualTo("\"2026-11-29T03:05:00.123456Z\"");
        assertThat(json(DataTypes.TimestampType, java.sql.Timestamp.from(Instant.parse("1969-12-31T23:59:59.5Z"))))
                .isEqualTo("\"1969-12-31T23:59:59.500Z\"");
        assertThat(json(DataTypes.TimestampNTZType, LocalDateTime.of(2026, 11, 29, 3, 5)))
                .isEqualTo("\"2026-11-29T03:05:00\"");
    }

    @Test
    void intervalsAreIso8601Durations() throws Exception {
        assertThat(json(YearMonthIntervalType.apply(), Period.of(1, 2, 0))).isEqualTo("\"P1Y2M\"");
        assertThat(json(DayTimeIntervalType.apply(), Duration.ofHours(26).plusMinutes(3))).isEqualTo("\"PT26H3M\"");
        assertThat(json(DataTypes.CalendarIntervalType,
                new CalendarInterval(14, 3, Duration.parse("PT4H5M6.5S").toNanos() / 1000))).isEqualTo("\"P1Y2M3DT4H5M6.5S\"");
        assertThat(json(DataTypes.CalendarIntervalType, new CalendarInterval(0, 0, 0))).isEqualTo("\"PT0S\"");
        assertThat(json(DataTypes.CalendarIntervalType, new CalendarInterval(0, 1, 0))).isEqualTo("\"P1D\"");
    }

    @Test
    void arraysMapsAndStructsNest() throws Exception {
        DataType ints = DataTypes.createArrayType(DataTypes.IntegerType, true);
        assertThat(json(ints, seq(1, null, 3))).isEqualTo("[1,null,3]");
        assertThat(json(ints, seq())).isEqualTo("[]");

        Map<Object, Object> byName = new LinkedHashMap<>();
        byName.put("b", 2.0);
        byName.put("a", Double.NaN);
        assertThat(json(DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), scalaMap(byName)))
                .isEqualTo("{\"b\":2.0,\"a\":\"NaN\"}");

        Map<Object, Object> byNumber = new LinkedHashMap<>();
        byNumber.put(7, "seven");
        byNumber.put(1, null);
        assertThat(json(DataTypes.createMapType(DataTypes.IntegerType, DataTypes.StringType), scalaMap(byNumber)))
                .isEqualTo("[{\"key\":7,\"value\":\"seven\"},{\"key\":1,\"value\":null}]");

        StructType inner = new StructType().add("c", DataTypes.TimestampType);
        StructType outer = new StructType().add("a", DataTypes.IntegerType).add("b", inner)
                .add("xs", DataTypes.createArrayType(inner));
        Row value = RowFactory.create(1, RowFactory.create(Instant.EPOCH), seq(RowFactory.create((Object) null)));
        assertThat(json(outer, value)).isEqualTo("{\"a\":1,\"b\":{\"c\":\"1970-01-01T00:00:00Z\"},\"xs\":[{\"c\":null}]}");
    }

    @Test
    void variantsAreTheJsonTheyHold() throws Exception {
        Variant variant = VariantBuilder.parseJson("{\"a\":[1,2.5,\"x\"],\"b\":null}", false);
        assertThat(json(DataTypes.VariantType, new VariantVal(variant.getValue(), variant.getMetadata())))
                .isEqualTo("{\"a\":[1,2.5,\"x\"],\"b\":null}");
    }

    @Test
    void nullsOfEveryTypeAreNull() throws Exception {
        for (DataType type : List.of(DataTypes.IntegerType, DataTypes.DoubleType, DataTypes.StringType,
                DataTypes.TimestampType, DataTypes.createArrayType(DataTypes.IntegerType), DataTypes.NullType,
                new StructType().add("a", DataTypes.IntegerType))) {
            assertThat(json(type, null)).as(type.sql()).isEqualTo("null");
        }
    }

    @Test
    void rowsBecomeObjectsOrArraysAndRepeatedNamesStayDistinct() throws Exception {
        StructType schema = new StructType().add("device_id", DataTypes.IntegerType)
                .add("device_id", DataTypes.IntegerType).add("avg", DataTypes.DoubleType);
        Row row = RowFactory.create(7, 8, Double.POSITIVE_INFINITY);

        assertThat(mapper.writeValueAsString(converter.forSchema(schema, RowShape.OBJECTS).apply(row)))
                .isEqualTo("{\"device_id\":7,\"device_id#2\":8,\"avg\":\"Infinity\"}");
        assertThat(mapper.writeValueAsString(converter.forSchema(schema, RowShape.ARRAYS).apply(row)))
                .isEqualTo("[7,8,\"Infinity\"]");
        assertThat(SparkJsonConverter.uniqueNames(List.of("a", "a", "a#2", "a"))).containsExactly("a", "a#3", "a#2", "a#4");
    }

    private static scala.collection.immutable.Seq<Object> seq(Object... values) {
        return CollectionConverters.asScala(Arrays.asList(values)).toSeq();
    }

    private static scala.collection.Map<Object, Object> scalaMap(Map<Object, Object> map) {
        return CollectionConverters.asScala(map);
    }
}
