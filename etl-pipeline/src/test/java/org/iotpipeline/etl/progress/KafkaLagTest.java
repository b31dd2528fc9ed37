package org.iotpipeline.etl.progress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaLagTest {

    @Test
    void sumsLatestMinusProcessedOverTheTopicsPartitionsOnly() {
        String end = "{\"events\":{\"0\":100,\"1\":40},\"events_heartbeats\":{\"0\":3}}";
        String latest = "{\"events\":{\"0\":150,\"1\":40,\"2\":7},\"events_heartbeats\":{\"0\":9}}";

        assertThat(KafkaLag.of("events", end, latest)).hasValue(50 + 0 + 7);
    }

    @Test
    void unknownWhenAnOffsetIsMissingOrUnreadable() {
        assertThat(KafkaLag.of("events", null, "{}")).isEmpty();
        assertThat(KafkaLag.of("events", "{\"other\":{\"0\":1}}", "{\"other\":{\"0\":1}}")).isEmpty();
        assertThat(KafkaLag.of("events", "not json", "{}")).isEmpty();
    }
}
