package org.iotpipeline.etl.progress;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Offsets between the newest records in Kafka and what a batch processed, from a source's progress
 * ({@code latestOffset} vs {@code endOffset}, both {@code {"topic":{"0":123,...}}}).
 */
final class KafkaLag {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Map<String, Long>>> OFFSETS = new TypeReference<>() {
    };

    private KafkaLag() {
    }

    /** Sum over the topic's partitions; empty if either side is missing or unreadable. */
    static OptionalLong of(String topic, String endOffsetJson, String latestOffsetJson) {
        if (endOffsetJson == null || latestOffsetJson == null) {
            return OptionalLong.empty();
        }
        try {
            Map<String, Long> end = JSON.readValue(endOffsetJson, OFFSETS).get(topic);
            Map<String, Long> latest = JSON.readValue(latestOffsetJson, OFFSETS).get(topic);
            if (end == null || latest == null) {
                return OptionalLong.empty();
            }
            long lag = 0;
            for (Map.Entry<String, Long> partition : latest.entrySet()) {
                long processed = end.getOrDefault(partition.getKey(), 0L);
                lag += Math.max(0, partition.getValue() - processed);
            }
            return OptionalLong.of(lag);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return OptionalLong.empty();
        }
    }
}
